using System.Globalization;
using System.Text.Json;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Samples.PaymentProvider;

/// <summary>
/// Tells the provider the outcome of a payment. The core calls this through its durable outbox once the payment is
/// confirmed or cancelled, and calls again later (with backoff) while it returns Delivered = false; the Response is
/// recorded on the transaction. Here: a JSON POST to the callback URL, signed like the webhook.
/// </summary>
public sealed class SamplePaymentProvider(IPluginSettings pluginSettings, TimeProvider clock) : IPaymentProvider
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The plugin's partial for the transaction page; its model is the <see cref="PaymentOutcome"/>.</summary>
    public string? DetailPartial => "/Areas/SamplePayments/Pages/_TransactionDetail.cshtml";

    public async Task<OutcomeDelivery> ReportOutcomeAsync(PaymentOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = await SampleSettings.LoadAsync(pluginSettings, cancellationToken);
        if (settings.CallbackUrl is null || settings.Secret is null)
        {
            return new OutcomeDelivery(true, "not sent: no URL configured");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = outcome.ProviderReference,
            transactionId = outcome.TransactionId,
            status = outcome.Confirmed ? "confirmed" : "cancelled",
            reason = outcome.Reason,
        });
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.CallbackUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(settings.Secret, timestamp, body));
        using var response = await Http.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        // Anything but 2xx: not delivered, so the outbox tries again later.
        return new OutcomeDelivery(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {(answer.Length > 500 ? answer[..500] : answer)}");
    }

    /// <summary>The payment's fields for the partial, from the raw JSON the core kept.</summary>
    public static IReadOnlyList<(string Label, string Value)> Fields(string rawData)
    {
        try
        {
            var payment = JsonSerializer.Deserialize<WebhookPayment>(rawData, JsonSerializerOptions.Web);
            return payment is null ? [] : [("Provider id", payment.Id ?? ""), ("Meter", payment.Meter ?? ""), ("Payer", payment.Phone ?? "")];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
