using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Airtel;

/// <summary>
/// <c>POST /plugins/airtel-tz/transactions</c> (see <see cref="ProviderEndpoint{TRequest,TSettings}"/> for the order of
/// checks). Refusals are answered as a CMPRRES whose TXNSTATUS is the HTTP status; a payment the intake refuses (e.g.
/// an unknown meter) is answered HTTP 200 with TXNSTATUS 400.
/// </summary>
internal sealed class AirtelEndpoint(IPaymentIntake intake, IPluginSettings pluginSettings, Acknowledgements acknowledgements, ILogger<AirtelEndpoint> logger)
    : ProviderEndpoint<AirtelRequest, AirtelSettings>(intake, acknowledgements, logger)
{
    public const int RefusedStatus = 400;

    protected override string PluginId => AirtelPlugin.Id;

    protected override async Task<AirtelSettings> SettingsAsync(CancellationToken cancellationToken) =>
        AirtelSettings.From(await pluginSettings.GetAsync(AirtelPlugin.Id, cancellationToken));

    protected override string? AllowedIps(AirtelSettings settings) => settings.AllowedIps;

    protected override AirtelRequest Parse(XDocument document) => AirtelMessages.Parse(document);

    protected override string? CredentialProblem(AirtelRequest request, AirtelSettings settings)
    {
        // Both compared, always, so that the time taken says nothing about which one was wrong.
        var userOk = CallerChecks.SecretEquals(request.ApiUser, settings.ApiUser);
        var passwordOk = CallerChecks.SecretEquals(request.ApiPassword, settings.ApiPassword);
        return userOk & passwordOk ? null : $"wrong APIUser or APIPassword (APIUser '{request.ApiUser}')";
    }

    protected override IEnumerable<string> MissingFields(AirtelRequest request) => request.MissingFields();

    protected override string? ReferenceOf(AirtelRequest request) => request.TransId;

    protected override IncomingPayment Payment(AirtelRequest request, AirtelSettings settings, byte[] body) =>
        new(AirtelPlugin.Id, request.TransId!, request.ReferenceField!, request.ParsedAmount(), settings.Currency,
            ProviderRequest.PayerPhone(request.Msisdn), ProviderRequest.Redacted(body, "APIPassword"));

    protected override string Acknowledgement(AirtelRequest request, long transactionId) =>
        AirtelMessages.Response(request, transactionId, StatusCodes.Status200OK, "Payment received");

    protected override string Refusal(AirtelRequest? request, int status) => AirtelMessages.Response(request, null, status, Describe(status));

    protected override string IntakeRefusal(AirtelRequest request, string? refusalCode) => AirtelMessages.Response(request, null, RefusedStatus, refusalCode switch
    {
        RefusalCodes.UnknownMeter => "Unknown meter number",
        RefusalCodes.MeterNotInUse => "Meter not in use",
        RefusalCodes.InvalidAmount => "Invalid amount",
        _ => "Invalid request",
    });
}
