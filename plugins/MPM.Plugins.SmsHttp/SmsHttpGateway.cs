using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Plugins.SmsHttp;

/// <summary>
/// POST {send URL} with {"to","message","id"} (id: the host's message id). A 2xx answer accepts the message; its "id",
/// when it has one, is what delivery reports refer to, otherwise the host's id is. Timeouts, 408, 429 and 5xx are
/// retried; any other answer is final.
/// </summary>
public sealed class SmsHttpGateway(SmsHttpClient http, IPluginSettings settings) : ISmsGateway
{
    public async Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        var options = SmsHttpOptions.From(await settings.GetAsync(SmsHttpPlugin.Id, cancellationToken));
        if (options.SendUrl is null)
        {
            return new SmsSendResult(false, null, "the HTTP SMS gateway's send URL is not set", Transient: true);
        }

        var id = message.MessageId.ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.SendUrl) { Content = JsonContent.Create(new SendBody(message.To, message.Body, id)) };
        if (options.AuthHeaderValue is not null)
        {
            request.Headers.TryAddWithoutValidation(options.AuthHeaderName, options.AuthHeaderValue);
        }

        using var response = await http.Client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new SmsSendResult(true, GatewayId(body) ?? id, null, Transient: false);
        }

        var status = (int)response.StatusCode;
        var transient = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
        return new SmsSendResult(false, null, $"the gateway answered HTTP {status}: {(body.Length <= 200 ? body : body[..200] + "…")}", transient);
    }

    private sealed record SendBody(string To, string Message, string Id);

    private static string? GatewayId(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id)
                ? id.ValueKind switch { JsonValueKind.String => id.GetString(), JsonValueKind.Number => id.GetRawText(), _ => null }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
