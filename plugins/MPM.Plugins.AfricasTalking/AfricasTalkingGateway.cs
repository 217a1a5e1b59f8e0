using System.Globalization;
using System.Net;
using System.Text.Json;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Plugins.AfricasTalking;

/// <summary>
/// POST {base}/version1/messaging (form: username, to, message, from; header apiKey) for one recipient. The
/// recipient's statusCode decides: 1xx accepted (its messageId is kept for delivery reports); out of credit, routing and
/// server errors are retried; a bad number, sender ID or blacklisting is final.
/// </summary>
public sealed class AfricasTalkingGateway(AfricasTalkingHttp http, IPluginSettings settings) : ISmsGateway
{
    public async Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        var options = AfricasTalkingOptions.From(await settings.GetAsync(AfricasTalkingPlugin.Id, cancellationToken));
        if (options.Username is null || options.ApiKey is null)
        {
            return new SmsSendResult(false, null, "Africa's Talking username and API key are not set", Transient: true);
        }

        var fields = new Dictionary<string, string> { ["username"] = options.Username, ["to"] = message.To, ["message"] = message.Body };
        if (options.Sender is not null)
        {
            fields["from"] = options.Sender;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "version1/messaging")) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("apiKey", options.ApiKey);
        request.Headers.Add("Accept", "application/json");
        using var response = await http.Client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            // Rate limits, server trouble and refused credentials (fixed in the settings) are worth retrying; the rest is final.
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            return new SmsSendResult(false, null, $"Africa's Talking answered HTTP {status}: {Shorten(body)}", transient);
        }

        return Parse(body);
    }

    /// <summary>The result for the one recipient of a send response.</summary>
    internal static SmsSendResult Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var data = document.RootElement.GetProperty("SMSMessageData");
            if (!data.TryGetProperty("Recipients", out var recipients) || recipients.ValueKind != JsonValueKind.Array || recipients.GetArrayLength() == 0)
            {
                var text = data.TryGetProperty("Message", out var m) ? m.GetString() : null;
                return new SmsSendResult(false, null, $"Africa's Talking sent to nobody: {text ?? "no reason given"}", Transient: false);
            }

            var recipient = recipients[0];
            var code = recipient.TryGetProperty("statusCode", out var c) ? c.ValueKind == JsonValueKind.Number ? c.GetInt32() : int.Parse(c.GetString() ?? "0", CultureInfo.InvariantCulture) : 0;
            var status = recipient.TryGetProperty("status", out var s) ? s.GetString() : null;
            var messageId = recipient.TryGetProperty("messageId", out var id) ? id.GetString() : null;
            return Map(code, status, messageId);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new SmsSendResult(false, null, $"Africa's Talking's answer was not understood: {Shorten(body)}", Transient: true);
        }
    }

    /// <summary>Per-recipient statusCode: 100 Processed, 101 Sent, 102 Queued are accepted.</summary>
    internal static SmsSendResult Map(int statusCode, string? status, string? messageId)
    {
        if (statusCode is >= 100 and < 200)
        {
            return string.IsNullOrEmpty(messageId)
                ? new SmsSendResult(false, null, $"Africa's Talking accepted the message ({statusCode}) without a messageId", Transient: false)
                : new SmsSendResult(true, messageId, null, Transient: false);
        }

        var reason = $"{status ?? Name(statusCode)} ({statusCode})";
        // 405 InsufficientBalance (until topped up), 407 CouldNotRoute, 500 InternalServerError, 501 GatewayError.
        var transient = statusCode is 405 or 407 or 500 or 501 || (statusCode >= 500 && statusCode != 502);
        return new SmsSendResult(false, null, reason, transient);
    }

    private static string Name(int statusCode) => statusCode switch
    {
        401 => "RiskHold",
        402 => "InvalidSenderId",
        403 => "InvalidPhoneNumber",
        404 => "UnsupportedNumberType",
        405 => "InsufficientBalance",
        406 => "UserInBlacklist",
        407 => "CouldNotRoute",
        500 => "InternalServerError",
        501 => "GatewayError",
        502 => "RejectedByGateway",
        _ => "Unknown",
    };

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
