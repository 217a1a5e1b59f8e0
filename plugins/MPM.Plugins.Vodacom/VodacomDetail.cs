using System.Text;
using System.Xml;
using MPM.Plugins.Shared.MobileMoney;

namespace MPM.Plugins.Vodacom;

/// <summary>The broker's fields of a stored request, for the transaction page.</summary>
public static class VodacomDetail
{
    public static IReadOnlyList<(string Label, string Value)> Fields(string rawData)
    {
        BrokerRequest request;
        try
        {
            request = BrokerMessages.Parse(ProviderRequest.ParseXml(Encoding.UTF8.GetBytes(rawData)));
        }
        catch (Exception e) when (e is XmlException or BadProviderRequest)
        {
            return [];
        }

        (string, string?)[] fields =
        [
            ("M-Pesa receipt", request.MpesaReceipt), ("Conversation ID", request.ConversationId), ("Originator conversation ID", request.OriginatorConversationId),
            ("Broker transaction ID", request.TransactionId), ("Payer (initiator)", request.Initiator), ("Pay bill number (recipient)", request.Recipient),
            ("Account reference", request.AccountReference), ("Amount", request.Amount), ("Command", request.CommandId),
            ("Transaction date", request.TransactionDate), ("Service provider (spId)", request.SpId),
        ];
        return fields.Where(f => f.Item2 is not null).Select(f => (f.Item1, f.Item2!)).ToList();
    }
}
