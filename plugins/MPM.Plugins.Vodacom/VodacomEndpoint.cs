using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Vodacom;

/// <summary>
/// <c>POST /plugins/vodacom-tz/transactions</c> (see <see cref="ProviderEndpoint{TRequest,TSettings}"/> for the order of
/// checks). The broker's heartbeat is answered and ignored; refusals are answered responseCode 999, FAILED.
/// </summary>
internal sealed class VodacomEndpoint(IPaymentIntake intake, IPluginSettings pluginSettings, Acknowledgements acknowledgements, ILogger<VodacomEndpoint> logger)
    : ProviderEndpoint<BrokerRequest, VodacomSettings>(intake, acknowledgements, logger)
{
    protected override string PluginId => VodacomPlugin.Id;

    protected override async Task<VodacomSettings> SettingsAsync(CancellationToken cancellationToken) =>
        VodacomSettings.From(await pluginSettings.GetAsync(VodacomPlugin.Id, cancellationToken));

    protected override string? AllowedIps(VodacomSettings settings) => settings.AllowedIps;

    protected override string? Special(string body) => body == BrokerMessages.Heartbeat ? BrokerMessages.Heartbeat : null;

    protected override BrokerRequest Parse(XDocument document) => BrokerMessages.Parse(document);

    protected override string? CredentialProblem(BrokerRequest request, VodacomSettings settings)
    {
        if (settings.SpId is null || !CallerChecks.SecretEquals(request.SpId, settings.SpId))
        {
            return $"spId '{request.SpId}' is not the configured one";
        }

        return settings.SpPassword is not null && !BrokerMessages.SpPasswordMatches(request, settings.SpId, settings.SpPassword) ? "wrong spPassword" : null;
    }

    protected override IEnumerable<string> MissingFields(BrokerRequest request) => request.MissingFields();

    protected override string? ReferenceOf(BrokerRequest request) => request.ConversationId;

    protected override IncomingPayment Payment(BrokerRequest request, VodacomSettings settings, byte[] body) =>
        new(VodacomPlugin.Id, request.ConversationId!, request.AccountReference!, request.ParsedAmount(), settings.Currency,
            ProviderRequest.PayerPhone(request.Initiator), ProviderRequest.Redacted(body, "spPassword"));

    protected override string Acknowledgement(BrokerRequest request, long transactionId) => BrokerMessages.Acknowledgement(request);

    protected override string Refusal(BrokerRequest? request, int status) => BrokerMessages.Refusal(request, Describe(status));

    protected override string IntakeRefusal(BrokerRequest request, string? refusalCode) => BrokerMessages.Refusal(request, refusalCode switch
    {
        RefusalCodes.UnknownMeter => "Unknown account reference",
        RefusalCodes.MeterNotInUse => "Account not active",
        RefusalCodes.InvalidAmount => "Invalid amount",
        _ => "Invalid request",
    });
}
