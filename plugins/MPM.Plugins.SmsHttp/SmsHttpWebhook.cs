using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Plugins.Shared.Http;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Plugins.SmsHttp;

/// <summary>
/// The gateway app's calls: {"event":"received","from","message","id","receivedAt"} for an incoming SMS, and
/// {"event":"sent"|"delivered"|"failed","id","reason"} for a message the host sent. Signed with
/// X-Signature: hex HMAC-SHA256(webhook secret, raw body) ("sha256=" prefix allowed).
/// </summary>
public static class SmsHttpWebhook
{
    public const string SignatureHeader = "X-Signature";
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var settings = await context.RequestServices.GetRequiredService<IPluginSettings>().GetAsync(SmsHttpPlugin.Id, context.RequestAborted);
        if (!Signed(body, context.Request.Headers[SignatureHeader].ToString(), SmsHttpOptions.From(settings).WebhookSecret))
        {
            return Results.Unauthorized();
        }

        WebhookEvent? call;
        try
        {
            call = JsonSerializer.Deserialize<WebhookEvent>(body);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new { error = $"not JSON: {e.Message}" });
        }

        var inbox = context.RequestServices.GetRequiredService<ISmsInbox>();
        switch (call?.Event)
        {
            case "received" when !string.IsNullOrWhiteSpace(call.From):
                var clock = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
                await inbox.ReceiveAsync(new IncomingSms(SmsHttpPlugin.Id, call.From, call.Message ?? "", call.ReceivedAt ?? clock.GetUtcNow(), Blank(call.Id)), context.RequestAborted);
                return Results.Ok(new { status = "stored" });
            case "sent" or "delivered" or "failed" when !string.IsNullOrWhiteSpace(call.Id):
                var status = call.Event switch { "delivered" => SmsDeliveryStatus.Delivered, "failed" => SmsDeliveryStatus.Failed, _ => SmsDeliveryStatus.Sent };
                await inbox.DeliveryReportAsync(new SmsDeliveryReport(SmsHttpPlugin.Id, call.Id, status, Blank(call.Reason)), context.RequestAborted);
                return Results.Ok(new { status = "applied" });
            default:
                return Results.BadRequest(new { error = "expected event 'received' with from, or 'sent'/'delivered'/'failed' with id" });
        }
    }

    /// <summary>Whether <paramref name="signature"/> is the HMAC of the body under the secret, compared in constant time.</summary>
    internal static bool Signed(byte[] body, string signature, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var hex = signature.Trim();
        if (hex.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[7..];
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record WebhookEvent(
        [property: JsonPropertyName("event")] string? Event,
        [property: JsonPropertyName("from")] string? From,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("reason")] string? Reason,
        [property: JsonPropertyName("receivedAt")] DateTimeOffset? ReceivedAt);
}
