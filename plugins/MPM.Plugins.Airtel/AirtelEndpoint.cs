using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Airtel;

/// <summary>
/// <c>POST /plugins/airtel-tz/transactions</c>. In order: the caller's address (401), the body's size (413), the XML
/// (400; no DTD, nothing resolved), APIUser/APIPassword (401, constant-time), the fields (400), then the core's intake.
/// Every refusal is logged, answered as a CMPRRES whose TXNSTATUS is the HTTP status, and stores nothing; a payment the
/// intake refuses (e.g. an unknown meter) is answered HTTP 200 with TXNSTATUS 400.
/// </summary>
internal sealed class AirtelEndpoint(IPaymentIntake intake, IPluginSettings pluginSettings, Acknowledgements acknowledgements, ILogger<AirtelEndpoint> logger)
{
    public const int RefusedStatus = 400;

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var settings = AirtelSettings.From(await pluginSettings.GetAsync(AirtelPlugin.Id, cancellationToken));
        var remote = http.Connection.RemoteIpAddress;
        if (!CallerChecks.IsAllowed(remote, settings.AllowedIps))
        {
            return Refuse(null, StatusCodes.Status401Unauthorized, $"caller {remote} is not in the allow-list");
        }

        var body = await ProviderRequest.ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return Refuse(null, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {ProviderRequest.MaxBodyBytes} bytes");
        }

        AirtelRequest request;
        try
        {
            request = AirtelMessages.Parse(ProviderRequest.ParseXml(body));
        }
        catch (XmlException e)
        {
            return Refuse(null, StatusCodes.Status400BadRequest, $"the body is not acceptable XML: {e.Message}");
        }

        // Both compared, always, so that the time taken says nothing about which one was wrong.
        var userOk = CallerChecks.SecretEquals(request.ApiUser, settings.ApiUser);
        var passwordOk = CallerChecks.SecretEquals(request.ApiPassword, settings.ApiPassword);
        if (!(userOk & passwordOk))
        {
            return Refuse(request, StatusCodes.Status401Unauthorized, $"wrong APIUser or APIPassword (APIUser '{request.ApiUser}')");
        }

        if (request.MissingFields().ToList() is { Count: > 0 } missing)
        {
            return Refuse(request, StatusCodes.Status400BadRequest, $"missing field: {string.Join(", ", missing)}");
        }

        decimal amount;
        try
        {
            amount = request.ParsedAmount();
        }
        catch (BadProviderRequest e)
        {
            return Refuse(request, e.Status, e.Message);
        }

        var result = await intake.SubmitAsync(
            new IncomingPayment(AirtelPlugin.Id, request.TransId!, request.ReferenceField!, amount, settings.Currency, ProviderRequest.PayerPhone(request.Msisdn), ProviderRequest.Redacted(body, "APIPassword")),
            cancellationToken);
        if (!result.Accepted)
        {
            return ProviderRequest.Xml(AirtelMessages.Response(request, null, RefusedStatus, Describe(result.RefusalCode)));
        }

        var answer = await acknowledgements.FirstAnswerAsync(
            AirtelPlugin.Id, request.TransId!, result.TransactionId!.Value, AirtelMessages.Response(request, result.TransactionId, StatusCodes.Status200OK, "Payment received"), cancellationToken);
        return ProviderRequest.Xml(answer);
    }

    private IResult Refuse(AirtelRequest? request, int status, string reason)
    {
        logger.LogWarning("Airtel request refused ({Status}): {Reason}; TransID {TransId}", status, reason, request?.TransId);
        var message = status switch
        {
            StatusCodes.Status401Unauthorized => "Unauthorized",
            StatusCodes.Status413PayloadTooLarge => "Request too large",
            _ => "Invalid request",
        };
        return ProviderRequest.Xml(AirtelMessages.Response(request, null, status, message), status);
    }

    private static string Describe(string? refusalCode) => refusalCode switch
    {
        RefusalCodes.UnknownMeter => "Unknown meter number",
        RefusalCodes.MeterNotInUse => "Meter not in use",
        RefusalCodes.InvalidAmount => "Invalid amount",
        _ => "Invalid request",
    };
}
