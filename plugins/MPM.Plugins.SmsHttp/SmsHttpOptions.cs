using MPM.Sdk;

namespace MPM.Plugins.SmsHttp;

public sealed record SmsHttpOptions(Uri? SendUrl, string AuthHeaderName, string? AuthHeaderValue, string? WebhookSecret)
{
    public const string SendUrlKey = "sendUrl";
    public const string AuthHeaderNameKey = "authHeaderName";
    public const string AuthHeaderValueKey = "authHeaderValue";
    public const string WebhookSecretKey = "webhookSecret";
    public const string DefaultAuthHeader = "Authorization";

    public static IReadOnlyList<PluginSetting> Declared { get; } =
    [
        new(SendUrlKey, "Send URL", Required: true, Help: "The gateway app's send endpoint; it receives POST {\"to\",\"message\",\"id\"} as JSON."),
        new(AuthHeaderNameKey, "Auth header name", Help: "The header that carries the credential below.", DefaultValue: DefaultAuthHeader),
        new(AuthHeaderValueKey, "Auth header value", Secret: true, Help: "E.g. \"Bearer <token>\" or an API key; empty sends no auth header."),
        new(WebhookSecretKey, "Webhook secret", Secret: true, Required: true,
            Help: "The app signs each webhook call to /plugins/sms-http/incoming with X-Signature = hex HMAC-SHA256(this secret, raw body). Without it every call is refused."),
    ];

    public static SmsHttpOptions From(IReadOnlyDictionary<string, string?> settings) => new(
        Value(settings, SendUrlKey) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null,
        Value(settings, AuthHeaderNameKey) ?? DefaultAuthHeader,
        Value(settings, AuthHeaderValueKey),
        Value(settings, WebhookSecretKey));

    private static string? Value(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.GetValueOrDefault(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
