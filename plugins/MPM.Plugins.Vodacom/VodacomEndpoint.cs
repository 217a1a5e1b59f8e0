using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Vodacom;

/// <summary>
/// <c>POST /plugins/vodacom-tz/transactions</c>. In order: the caller's address (401), the body's size (413), the XML
/// (400; no DTD, nothing resolved), the heartbeat, the credentials (401), the fields (400), then the core's intake.
/// Every refusal is logged, answered in the broker's format (responseCode 999, FAILED) and stores nothing.
/// </summary>
internal sealed class VodacomEndpoint(IPaymentIntake intake, IPluginSettings pluginSettings, Acknowledgements acknowledgements, ILogger<VodacomEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var settings = VodacomSettings.From(await pluginSettings.GetAsync(VodacomPlugin.Id, cancellationToken));
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

        var raw = Encoding.UTF8.GetString(body);
        if (raw.Trim() == BrokerMessages.Heartbeat)
        {
            logger.LogDebug("Vodacom heartbeat from {Remote}", remote);
            return ProviderRequest.Xml(BrokerMessages.Heartbeat);
        }

        BrokerRequest request;
        try
        {
            request = BrokerMessages.Parse(ProviderRequest.ParseXml(body));
        }
        catch (XmlException e)
        {
            return Refuse(null, StatusCodes.Status400BadRequest, $"the body is not acceptable XML: {e.Message}");
        }
        catch (BadProviderRequest e)
        {
            return Refuse(null, e.Status, e.Message);
        }

        if (settings.SpId is null || !CallerChecks.SecretEquals(request.SpId, settings.SpId))
        {
            return Refuse(request, StatusCodes.Status401Unauthorized, $"spId '{request.SpId}' is not the configured one");
        }

        if (settings.SpPassword is not null && !BrokerMessages.SpPasswordMatches(request, settings.SpId, settings.SpPassword))
        {
            return Refuse(request, StatusCodes.Status401Unauthorized, "wrong spPassword");
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
            new IncomingPayment(VodacomPlugin.Id, request.ConversationId!, request.AccountReference!, amount, settings.Currency, ProviderRequest.PayerPhone(request.Initiator), ProviderRequest.Redacted(body, "spPassword")),
            cancellationToken);
        if (!result.Accepted)
        {
            // The intake logged and recorded the refusal; the broker expects 999 / FAILED with HTTP 200.
            return ProviderRequest.Xml(BrokerMessages.Refusal(request, Describe(result.RefusalCode)));
        }

        var answer = await acknowledgements.FirstAnswerAsync(VodacomPlugin.Id, request.ConversationId!, result.TransactionId!.Value, BrokerMessages.Acknowledgement(request), cancellationToken);
        return ProviderRequest.Xml(answer);
    }

    private IResult Refuse(BrokerRequest? request, int status, string reason)
    {
        logger.LogWarning("Vodacom request refused ({Status}): {Reason}; conversationID {ConversationId}", status, reason, request?.ConversationId);
        return ProviderRequest.Xml(BrokerMessages.Refusal(request, Describe(status)), status);
    }

    private static string Describe(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        _ => "Invalid request",
    };

    private static string Describe(string? refusalCode) => refusalCode switch
    {
        RefusalCodes.UnknownMeter => "Unknown account reference",
        RefusalCodes.MeterNotInUse => "Account not active",
        RefusalCodes.InvalidAmount => "Invalid amount",
        _ => "Invalid request",
    };
}
