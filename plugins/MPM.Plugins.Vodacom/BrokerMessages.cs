using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using MPM.Plugins.Shared.MobileMoney;

namespace MPM.Plugins.Vodacom;

/// <summary>A C2B payment as the M-Pesa broker posts it (PROTOCOLS.md 3.2). Fields are null when absent.</summary>
internal sealed record BrokerRequest(
    string Namespace,
    string? SpId,
    string? SpPassword,
    string? Timestamp,
    string? Amount,
    string? CommandId,
    string? Initiator,
    string? ConversationId,
    string? OriginatorConversationId,
    string? Recipient,
    string? MpesaReceipt,
    string? TransactionDate,
    string? AccountReference,
    string? TransactionId)
{
    /// <summary>The fields MPM requires of a payment (spId and spPassword are credentials, checked apart).</summary>
    public IEnumerable<string> MissingFields()
    {
        (string Name, string? Value)[] required =
        [
            ("amount", Amount), ("commandID", CommandId), ("initiator", Initiator), ("conversationID", ConversationId),
            ("originatorConversationID", OriginatorConversationId), ("recipient", Recipient), ("mpesaReceipt", MpesaReceipt),
            ("transactionDate", TransactionDate), ("accountReference", AccountReference), ("transactionID", TransactionId),
        ];
        return required.Where(f => f.Value is null).Select(f => f.Name);
    }

    public decimal ParsedAmount() =>
        decimal.TryParse(Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new BadProviderRequest(StatusCodes.Status400BadRequest, $"amount '{Amount}' is not a number");
}

/// <summary>The broker's XML: reading its payment requests, writing our acknowledgements and results, reading its answers.</summary>
internal static class BrokerMessages
{
    /// <summary>The namespace of the broker's messages; some brokers spell it "inforwise", and are answered in their spelling.</summary>
    public const string Namespace = "http://infowise.co.tz/broker/";

    /// <summary>The broker's keep-alive: answered and ignored.</summary>
    public const string Heartbeat = "<FailSafe>JUMEME</FailSafe>";

    /// <summary>Tanzania keeps East Africa Time (UTC+3) all year; the broker's timestamps are in it.</summary>
    public static readonly TimeSpan EastAfricaTime = TimeSpan.FromHours(3);

    public static BrokerRequest Parse(XDocument document)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "mpesaBroker")
        {
            throw new BadProviderRequest(StatusCodes.Status400BadRequest, $"the root element is <{root.Name.LocalName}>, not <mpesaBroker>");
        }

        var request = ProviderRequest.Element(root, "request")
            ?? throw new BadProviderRequest(StatusCodes.Status400BadRequest, "missing field: request");
        var provider = ProviderRequest.Element(request, "serviceProvider");
        var transaction = ProviderRequest.Element(request, "transaction");
        string? Tx(string name) => ProviderRequest.Child(transaction, name);
        return new BrokerRequest(
            root.Name.NamespaceName.Length > 0 ? root.Name.NamespaceName : Namespace,
            ProviderRequest.Child(provider, "spId"),
            ProviderRequest.Child(provider, "spPassword"),
            ProviderRequest.Child(provider, "timestamp"),
            Tx("amount"), Tx("commandID"), Tx("initiator"), Tx("conversationID"), Tx("originatorConversationID"), Tx("recipient"),
            Tx("mpesaReceipt"), Tx("transactionDate"), Tx("accountReference"), Tx("transactionID"));
    }

    /// <summary>The synchronous answer: code 0 / Received / Success once the payment is stored; 999 / FAILED otherwise.</summary>
    public static string Response(BrokerRequest? request, string code, string description, string status)
    {
        XNamespace ns = request?.Namespace ?? Namespace;
        var response = new XElement(ns + "response");
        if (request is not null)
        {
            response.Add(
                new XElement(ns + "conversationID", request.ConversationId ?? ""),
                new XElement(ns + "originatorConversationID", request.OriginatorConversationId ?? ""),
                new XElement(ns + "transactionID", request.TransactionId ?? ""));
        }

        response.Add(new XElement(ns + "responseCode", code), new XElement(ns + "responseDesc", description), new XElement(ns + "serviceStatus", status));
        return Document(new XElement(ns + "mpesaBroker", new XAttribute("xmlns", ns.NamespaceName), new XAttribute("version", "2.0"), response));
    }

    public static string Acknowledgement(BrokerRequest request) => Response(request, "0", "Received", "Success");

    public static string Refusal(BrokerRequest? request, string description) => Response(request, "999", description, "FAILED");

    /// <summary>The final result of a payment, posted to the broker: resultCode 0 when confirmed, 999 when cancelled.</summary>
    public static string Result(BrokerRequest request, VodacomSettings settings, long transactionId, bool confirmed, string? reason, DateTimeOffset now)
    {
        XNamespace ns = request.Namespace;
        var local = now.ToOffset(EastAfricaTime);
        var timestamp = local.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var spId = settings.SpId ?? request.SpId ?? "";
        var receipt = transactionId.ToString(CultureInfo.InvariantCulture);
        return Document(new XElement(ns + "mpesaBroker", new XAttribute("xmlns", ns.NamespaceName), new XAttribute("version", "2.0"),
            new XElement(ns + "result",
                new XElement(ns + "serviceProvider",
                    new XElement(ns + "spId", spId),
                    new XElement(ns + "spPassword", settings.SpPassword is null ? "" : SpPassword(spId, settings.SpPassword, timestamp)),
                    new XElement(ns + "timestamp", timestamp)),
                new XElement(ns + "transaction",
                    new XElement(ns + "resultType", "Completed"),
                    new XElement(ns + "resultCode", confirmed ? "0" : "999"),
                    new XElement(ns + "resultDesc", confirmed ? "Successful" : Truncate(reason ?? "Cancelled", 200)),
                    new XElement(ns + "serviceReceipt", receipt),
                    new XElement(ns + "serviceDate", local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new XElement(ns + "serviceID", receipt),
                    new XElement(ns + "originatorConversationID", request.OriginatorConversationId ?? ""),
                    new XElement(ns + "conversationID", request.ConversationId ?? ""),
                    new XElement(ns + "transactionID", request.TransactionId ?? ""),
                    new XElement(ns + "initiator", request.Initiator ?? ""),
                    new XElement(ns + "initiatorPassword", InitiatorPassword(request.Initiator, settings.BrokerEncryptionCertificate))))));
    }

    /// <summary>The broker's answer to a result: its <c>responseCode</c>, or null when it has none.</summary>
    public static string? ResponseCode(string answer)
    {
        try
        {
            var document = ProviderRequest.ParseXml(Encoding.UTF8.GetBytes(answer));
            return document.Descendants().FirstOrDefault(e => e.Name.LocalName == "responseCode")?.Value.Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>Base64(SHA-256(spId ‖ password ‖ timestamp)) of the raw digest (PROTOCOLS.md 3.2; the hex-digest variant is also accepted on input).</summary>
    public static string SpPassword(string spId, string password, string timestamp) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(spId + password + timestamp)));

    /// <summary>Whether a request's spPassword proves the configured password: any of the encodings seen in the field, or the password itself.</summary>
    public static bool SpPasswordMatches(BrokerRequest request, string spId, string password)
    {
        var presented = request.SpPassword;
        var timestamp = request.Timestamp ?? "";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(spId + password + timestamp));
        var hex = Convert.ToHexStringLower(digest);
        // Evaluated in full (no short-circuit) so that the time taken does not say which form was close.
        var matches = CallerChecks.SecretEquals(presented, Convert.ToBase64String(digest))
            | CallerChecks.SecretEquals(presented, Convert.ToBase64String(Encoding.ASCII.GetBytes(hex)))
            | CallerChecks.SecretEquals(presented, Convert.ToBase64String(Encoding.ASCII.GetBytes(hex.ToUpperInvariant())))
            | CallerChecks.SecretEquals(presented, password);
        return matches;
    }

    private static string InitiatorPassword(string? initiator, string? certificatePem)
    {
        if (initiator is null || certificatePem is null)
        {
            return "";
        }

        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        using var rsa = certificate.GetRSAPublicKey() ?? throw new CryptographicException("the broker encryption certificate has no RSA key");
        return Convert.ToBase64String(rsa.Encrypt(Encoding.UTF8.GetBytes(initiator), RSAEncryptionPadding.Pkcs1));
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private static string Document(XElement root) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting);
}
