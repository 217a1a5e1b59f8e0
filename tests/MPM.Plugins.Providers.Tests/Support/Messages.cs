using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace MPM.Plugins.Providers.Tests.Support;

/// <summary>Provider requests as the providers send them (PROTOCOLS.md 3.2 and 3.4a), written out by hand.</summary>
public static class Messages
{
    public const string Infowise = "http://infowise.co.tz/broker/";
    public const string Inforwise = "http://inforwise.co.tz/broker/";
    public const string VodacomPath = "/plugins/vodacom-tz/transactions";
    public const string AirtelPath = "/plugins/airtel-tz/transactions";

    /// <summary>The broker's C2B request; <paramref name="omit"/> leaves one element out; <paramref name="padding"/> adds that many bytes of white space.</summary>
    public static string Vodacom(
        string meter, string conversationId, string amount = "2000.00", string transactionId = "76446330", string spId = "332277", string spPassword = "OUUFjsCKcOwCnGhCQpie1hvn29pGrXUI78Y46XwS3/U=",
        string timestamp = "20180410111028", string ns = Infowise, string? omit = null, int padding = 0, string prolog = "")
    {
        (string Name, string Value)[] fields =
        [
            ("amount", amount), ("commandID", "Pay Bill"), ("initiator", "255757966347"), ("conversationID", conversationId),
            ("originatorConversationID", $"orig-{conversationId}"), ("recipient", "332277"), ("mpesaReceipt", $"R{conversationId}"),
            ("transactionDate", "2018-04-10 11:10:28"), ("accountReference", meter), ("transactionID", transactionId),
        ];
        var transaction = string.Concat(fields.Where(f => f.Name != omit).Select(f => $"<{f.Name}>{f.Value}</{f.Name}>"));
        return $"""
            {prolog}<mpesaBroker xmlns="{ns}" version="2.0">
             <request>
              <serviceProvider><spId>{spId}</spId><spPassword>{spPassword}</spPassword><timestamp>{timestamp}</timestamp></serviceProvider>
              <transaction>{transaction}</transaction>{new string(' ', padding)}
             </request>
            </mpesaBroker>
            """;
    }

    /// <summary>The acknowledgement the broker expects for a stored payment, byte for byte.</summary>
    public static string VodacomAcknowledgement(string conversationId, string transactionId = "76446330", string ns = Infowise) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><mpesaBroker xmlns=\"{ns}\" version=\"2.0\"><response><conversationID>{conversationId}</conversationID>" +
        $"<originatorConversationID>orig-{conversationId}</originatorConversationID><transactionID>{transactionId}</transactionID>" +
        "<responseCode>0</responseCode><responseDesc>Received</responseDesc><serviceStatus>Success</serviceStatus></response></mpesaBroker>";

    public static string BrokerAnswer(string code) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><mpesaBroker xmlns=\"{Infowise}\" version=\"2.0\"><response><responseCode>{code}</responseCode><responseDesc>Received</responseDesc></response></mpesaBroker>";

    /// <summary>spPassword = Base64(SHA-256(spId ‖ password ‖ timestamp)).</summary>
    public static string SpPassword(string spId, string password, string timestamp) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(spId + password + timestamp)));

    public static string Airtel(
        string meter, string transId, string amount = "1500", string apiUser = "mpm-demo", string apiPassword = "mpm-demo-password", string msisdn = "784000111",
        string? omit = null, int padding = 0, string prolog = "")
    {
        (string Name, string Value)[] fields =
        [
            ("APIUser", apiUser), ("APIPassword", apiPassword), ("INTERFACEID", "MPM"), ("BusinessNumber", "123456"), ("TransID", transId),
            ("Amount", amount), ("ReferenceField", meter), ("Msisdn", msisdn), ("TRID", $"TR{transId}"),
        ];
        return $"{prolog}<COMMAND>{string.Concat(fields.Where(f => f.Name != omit).Select(f => $"<{f.Name}>{f.Value}</{f.Name}>"))}{new string(' ', padding)}</COMMAND>";
    }

    public static string AirtelAcknowledgement(long transactionId, string meter, string transId, string msisdn = "784000111") =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><TYPE>CMPRRES</TYPE><TXNID>{transactionId}</TXNID><TXNSTATUS>200</TXNSTATUS>" +
        $"<ReferenceField>{meter}</ReferenceField><MESSAGE>Payment received</MESSAGE><TransID>{transId}</TransID><Msisdn>{msisdn}</Msisdn></Response>";

    /// <summary>The text of the first element with this local name, any namespace.</summary>
    public static string? Field(string xml, string localName) =>
        XDocument.Parse(xml).Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    public static string NewReference() => Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
}
