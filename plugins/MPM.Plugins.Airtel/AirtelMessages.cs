using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using MPM.Plugins.Shared.MobileMoney;

namespace MPM.Plugins.Airtel;

/// <summary>A payment as Airtel pushes it (PROTOCOLS.md 3.4a). Fields are null when absent.</summary>
internal sealed record AirtelRequest(
    string? ApiUser,
    string? ApiPassword,
    string? InterfaceId,
    string? BusinessNumber,
    string? TransId,
    string? Amount,
    string? ReferenceField,
    string? Msisdn,
    string? TrId)
{
    public IEnumerable<string> MissingFields()
    {
        (string Name, string? Value)[] required =
        [
            ("INTERFACEID", InterfaceId), ("BusinessNumber", BusinessNumber), ("TransID", TransId), ("Amount", Amount),
            ("ReferenceField", ReferenceField), ("Msisdn", Msisdn), ("TRID", TrId),
        ];
        return required.Where(f => f.Value is null).Select(f => f.Name);
    }

    public decimal ParsedAmount() =>
        decimal.TryParse(Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new BadProviderRequest(StatusCodes.Status400BadRequest, $"Amount '{Amount}' is not a number");
}

/// <summary>Airtel's XML: reading its pushes, writing the CMPRRES answer and the ROLLBACK command.</summary>
internal static class AirtelMessages
{
    public static AirtelRequest Parse(XDocument document)
    {
        var root = document.Root!;
        string? Field(string name) => ProviderRequest.Child(root, name);
        return new AirtelRequest(Field("APIUser"), Field("APIPassword"), Field("INTERFACEID"), Field("BusinessNumber"), Field("TransID"), Field("Amount"),
            Field("ReferenceField"), Field("Msisdn"), Field("TRID"));
    }

    /// <summary>The CMPRRES answer: TXNSTATUS 200 with our transaction id once stored; otherwise the refusal's status and reason.</summary>
    public static string Response(AirtelRequest? request, long? transactionId, int status, string message) =>
        Document(new XElement("Response",
            new XElement("TYPE", "CMPRRES"),
            new XElement("TXNID", transactionId?.ToString(CultureInfo.InvariantCulture) ?? ""),
            new XElement("TXNSTATUS", status.ToString(CultureInfo.InvariantCulture)),
            new XElement("ReferenceField", request?.ReferenceField ?? ""),
            new XElement("MESSAGE", message),
            new XElement("TransID", request?.TransId ?? ""),
            new XElement("Msisdn", request?.Msisdn ?? "")));

    /// <summary>Asks Airtel to reverse a payment the platform cancelled.</summary>
    public static string Rollback(string airtelTransId, long transactionId) =>
        Document(new XElement("COMMAND",
            new XElement("TYPE", "ROLLBACK"),
            new XElement("TXNID", airtelTransId),
            new XElement("TRID", transactionId.ToString(CultureInfo.InvariantCulture)),
            new XElement("MESSAGE", "Transaction is cancelled")));

    private static string Document(XElement root) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting);
}
