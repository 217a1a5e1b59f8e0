using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Airtel;

/// <summary>
/// Airtel confirms successful payments itself, so a confirmation sends nothing. A cancellation posts the ROLLBACK
/// command to Airtel's request URL through the core's outbox, retried until Airtel answers HTTP 2xx.
/// </summary>
internal sealed class AirtelProvider(IPluginSettings pluginSettings, ILogger<AirtelProvider> logger) : IPaymentProvider
{
    public const string NoUrl = "not sent: no URL configured";
    public const string NothingToSend = "not sent: Airtel confirms successful payments itself";

    public string? DetailPartial => "/Areas/AirtelPayments/Pages/_TransactionDetail.cshtml";

    public async Task<OutcomeDelivery> ReportOutcomeAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Confirmed)
        {
            return new OutcomeDelivery(true, NothingToSend);
        }

        var settings = AirtelSettings.From(await pluginSettings.GetAsync(AirtelPlugin.Id, cancellationToken));
        if (settings.RollbackUrl is null)
        {
            return new OutcomeDelivery(true, NoUrl);
        }

        var (status, answer) = await OutcomeHttp.PostXmlAsync(
            settings.RollbackUrl, AirtelMessages.Rollback(outcome.ProviderReference, outcome.TransactionId), settings.ClientCertificate, settings.AirtelTlsCertificate, cancellationToken);
        if (status is < 200 or > 299)
        {
            logger.LogWarning("Airtel answered the rollback of payment {TransactionId} with HTTP {Status}", outcome.TransactionId, status);
            return new OutcomeDelivery(false, $"HTTP {status}: {answer}");
        }

        return new OutcomeDelivery(true, $"rollback sent; Airtel answered HTTP {status}: {answer}");
    }
}
