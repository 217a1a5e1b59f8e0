using System.Text;
using System.Xml;
using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Vodacom;

/// <summary>
/// Tells the broker the final result of a payment (resultCode 0 or 999), called by the core's outbox until delivered.
/// Delivered once the broker answers HTTP 2xx; its responseCode is recorded, and one other than expected (0 for a
/// confirmation, 999 for a cancellation) is recorded as a conflict.
/// </summary>
internal sealed class VodacomProvider(IPluginSettings pluginSettings, TimeProvider clock, ILogger<VodacomProvider> logger) : IPaymentProvider
{
    public const string NoUrl = "not sent: no URL configured";

    public string? DetailPartial => "/Areas/VodacomPayments/Pages/_TransactionDetail.cshtml";

    public async Task<OutcomeDelivery> ReportOutcomeAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = VodacomSettings.From(await pluginSettings.GetAsync(VodacomPlugin.Id, cancellationToken));
        if (settings.ResultUrl is null)
        {
            return new OutcomeDelivery(true, NoUrl);
        }

        BrokerRequest request;
        try
        {
            request = BrokerMessages.Parse(ProviderRequest.ParseXml(Encoding.UTF8.GetBytes(outcome.RawData)));
        }
        catch (Exception e) when (e is XmlException or BadProviderRequest)
        {
            return new OutcomeDelivery(true, $"not sent: the stored request is not a broker request ({e.Message})");
        }

        var message = BrokerMessages.Result(request, settings, outcome.TransactionId, outcome.Confirmed, outcome.Reason, clock.GetUtcNow());
        var (status, answer) = await OutcomeHttp.PostXmlAsync(settings.ResultUrl, message, settings.ClientCertificate, settings.BrokerTlsCertificate, cancellationToken);
        if (status is < 200 or > 299)
        {
            logger.LogWarning("The broker answered the result of payment {TransactionId} with HTTP {Status}", outcome.TransactionId, status);
            return new OutcomeDelivery(false, $"HTTP {status}: {answer}");
        }

        var expected = outcome.Confirmed ? "0" : "999";
        var code = BrokerMessages.ResponseCode(answer);
        return code == expected
            ? new OutcomeDelivery(true, $"broker answered responseCode {code}")
            : new OutcomeDelivery(true, $"conflict: broker answered responseCode {code ?? "(none)"} where {expected} was expected: {answer}");
    }
}
