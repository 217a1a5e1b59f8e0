using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Shared.MobileMoney;

/// <summary>
/// A mobile-money provider's payment endpoint. In order: the caller's address (401), the body's size (413), the XML
/// (400; no DTD, nothing resolved), the credentials (401), the fields (400), then the core's intake, which stores the
/// payment before the acknowledgement is sent. A repeat gets the first acknowledgement. Every refusal is logged, answered
/// in the provider's format and stores nothing (the intake records its own refusals in its log of refusals).
/// </summary>
internal abstract class ProviderEndpoint<TRequest, TSettings>(IPaymentIntake intake, Acknowledgements acknowledgements, ILogger logger)
    where TRequest : class
{
    protected abstract string PluginId { get; }

    protected abstract Task<TSettings> SettingsAsync(CancellationToken cancellationToken);

    protected abstract string? AllowedIps(TSettings settings);

    /// <summary>An answer for a body that is not a payment (e.g. a heartbeat), or null.</summary>
    protected virtual string? Special(string body) => null;

    /// <summary>Reads the request; throws <see cref="BadProviderRequest"/> when it is not one.</summary>
    protected abstract TRequest Parse(XDocument document);

    /// <summary>Null when the caller's credentials are right, else why not.</summary>
    protected abstract string? CredentialProblem(TRequest request, TSettings settings);

    protected abstract IEnumerable<string> MissingFields(TRequest request);

    /// <summary>The provider's reference of the payment, for the log (never a credential).</summary>
    protected abstract string? ReferenceOf(TRequest request);

    /// <summary>The payment for the intake; throws <see cref="BadProviderRequest"/> for a field it cannot read.</summary>
    protected abstract IncomingPayment Payment(TRequest request, TSettings settings, byte[] body);

    protected abstract string Acknowledgement(TRequest request, long transactionId);

    /// <summary>The answer to a request refused with an HTTP status (401, 413, 400).</summary>
    protected abstract string Refusal(TRequest? request, int status);

    /// <summary>The answer (HTTP 200) to a payment the intake refused, e.g. for an unknown meter.</summary>
    protected abstract string IntakeRefusal(TRequest request, string? refusalCode);

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(cancellationToken);
        var remote = http.Connection.RemoteIpAddress;
        if (!CallerChecks.IsAllowed(remote, AllowedIps(settings)))
        {
            return Refuse(null, StatusCodes.Status401Unauthorized, $"caller {remote} is not in the allow-list");
        }

        var body = await ProviderRequest.ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return Refuse(null, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {ProviderRequest.MaxBodyBytes} bytes");
        }

        if (Special(Encoding.UTF8.GetString(body).Trim()) is { } special)
        {
            return ProviderRequest.Xml(special);
        }

        TRequest request;
        try
        {
            request = Parse(ProviderRequest.ParseXml(body));
        }
        catch (XmlException e)
        {
            return Refuse(null, StatusCodes.Status400BadRequest, $"the body is not acceptable XML: {e.Message}");
        }
        catch (BadProviderRequest e)
        {
            return Refuse(null, e.Status, e.Message);
        }

        if (CredentialProblem(request, settings) is { } problem)
        {
            return Refuse(request, StatusCodes.Status401Unauthorized, problem);
        }

        if (MissingFields(request).ToList() is { Count: > 0 } missing)
        {
            return Refuse(request, StatusCodes.Status400BadRequest, $"missing field: {string.Join(", ", missing)}");
        }

        IncomingPayment payment;
        try
        {
            payment = Payment(request, settings, body);
        }
        catch (BadProviderRequest e)
        {
            return Refuse(request, e.Status, e.Message);
        }

        var result = await intake.SubmitAsync(payment, cancellationToken);
        if (!result.Accepted)
        {
            return ProviderRequest.Xml(IntakeRefusal(request, result.RefusalCode));
        }

        return ProviderRequest.Xml(await acknowledgements.FirstAnswerAsync(
            PluginId, payment.ProviderReference, result.TransactionId!.Value, Acknowledgement(request, result.TransactionId.Value), cancellationToken));
    }

    private IResult Refuse(TRequest? request, int status, string reason)
    {
        logger.LogWarning("{Plugin} request refused ({Status}): {Reason}; reference {Reference}", PluginId, status, reason, request is null ? null : ReferenceOf(request));
        return ProviderRequest.Xml(Refusal(request, status), status);
    }

    /// <summary>What a refusal with an HTTP status says, in the provider's message field.</summary>
    public static string Describe(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        _ => "Invalid request",
    };
}
