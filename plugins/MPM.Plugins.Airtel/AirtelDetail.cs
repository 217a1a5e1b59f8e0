using System.Text;
using System.Xml;
using MPM.Plugins.Shared.MobileMoney;

namespace MPM.Plugins.Airtel;

/// <summary>Airtel's fields of a stored request, for the transaction page (the credentials are never shown).</summary>
public static class AirtelDetail
{
    public static IReadOnlyList<(string Label, string Value)> Fields(string rawData)
    {
        AirtelRequest request;
        try
        {
            request = AirtelMessages.Parse(ProviderRequest.ParseXml(Encoding.UTF8.GetBytes(rawData)));
        }
        catch (XmlException)
        {
            return [];
        }

        (string, string?)[] fields =
        [
            ("Airtel TransID", request.TransId), ("TRID", request.TrId), ("Payer (Msisdn)", request.Msisdn), ("Meter (ReferenceField)", request.ReferenceField),
            ("Amount", request.Amount), ("Business number", request.BusinessNumber), ("Interface", request.InterfaceId), ("API user", request.ApiUser),
        ];
        return fields.Where(f => f.Item2 is not null).Select(f => (f.Item1, f.Item2!)).ToList();
    }
}
