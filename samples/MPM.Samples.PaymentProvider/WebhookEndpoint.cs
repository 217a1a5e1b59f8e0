using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Samples.PaymentProvider;

/// <summary>
/// <c>POST /plugins/sample-pay/webhook</c> with a JSON payment:
/// <code>{"id":"pay-0001","meter":"47026182379","amount":4500.00,"currency":"TZS","phone":"+255700000001"}</code>
/// Answers: 200 <c>{"status":"accepted","transactionId":N}</c> once the payment is stored (the same for a repeated id);
/// 422 <c>{"status":"refused","code":"unknown-meter",…}</c>; 401 for a bad signature, 413 over 64 KB, 400 for bad JSON.
/// A refused request stores nothing.
/// </summary>
public sealed class WebhookEndpoint(IPaymentIntake intake, IPluginSettings pluginSettings, TimeProvider clock, ILogger<WebhookEndpoint> logger)
{
    public const int MaxBodyBytes = 64 * 1024;

    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var settings = await SampleSettings.LoadAsync(pluginSettings, cancellationToken);
        if (settings.Secret is null)
        {
            return Refuse(StatusCodes.Status401Unauthorized, "no webhook secret is configured");
        }

        // Kestrel stops reading past this size and throws; a declared Content-Length over it is refused at once.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes");
        }

        if (body.Length > MaxBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes");
        }

        // Authenticate before reading anything from the body.
        if (WebhookSignature.Problem(settings.Secret, http.Request.Headers[WebhookSignature.TimestampHeader], http.Request.Headers[WebhookSignature.SignatureHeader], body, clock.GetUtcNow()) is { } problem)
        {
            return Refuse(StatusCodes.Status401Unauthorized, problem);
        }

        WebhookPayment payment;
        try
        {
            payment = JsonSerializer.Deserialize<WebhookPayment>(body, JsonSerializerOptions.Web) ?? throw new JsonException("the body is null");
        }
        catch (JsonException e)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"the body is not a payment: {e.Message}");
        }

        if (payment.Missing() is { } missing)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"missing field: {missing}");
        }

        var result = await intake.SubmitAsync(
            new IncomingPayment(SamplePaymentPlugin.Id, payment.Id!, payment.Meter!, payment.Amount!.Value, payment.Currency ?? settings.Currency, payment.Phone,
                System.Text.Encoding.UTF8.GetString(body)),
            cancellationToken);
        return result.Accepted
            ? Results.Ok(new { status = "accepted", transactionId = result.TransactionId })
            : Results.Json(new { status = "refused", code = result.RefusalCode, message = result.RefusalMessage }, statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private IResult Refuse(int status, string reason)
    {
        logger.LogWarning("sample-pay webhook refused ({Status}): {Reason}", status, reason);
        return Results.Json(new { status = "error", error = reason }, statusCode: status);
    }
}

/// <summary>The provider's JSON. The amount is a JSON number, read exactly as a decimal (never a double).</summary>
public sealed record WebhookPayment(string? Id, string? Meter, decimal? Amount, string? Currency, string? Phone)
{
    public string? Missing() => Id is null ? "id" : Meter is null ? "meter" : Amount is null ? "amount" : null;
}
