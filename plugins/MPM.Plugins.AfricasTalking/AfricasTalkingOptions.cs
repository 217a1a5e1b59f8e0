using MPM.Sdk;

namespace MPM.Plugins.AfricasTalking;

public sealed record AfricasTalkingOptions(Uri BaseUrl, string? Username, string? ApiKey, string? Sender, string? CallbackSecret)
{
    public const string BaseUrlKey = "baseUrl";
    public const string UsernameKey = "username";
    public const string ApiKeyKey = "apiKey";
    public const string FromKey = "from";
    public const string CallbackSecretKey = "callbackSecret";
    public const string DefaultBaseUrl = "https://api.africastalking.com";

    public static IReadOnlyList<PluginSetting> Declared { get; } =
    [
        new(BaseUrlKey, "API base URL", Help: "Live: https://api.africastalking.com; sandbox: https://api.sandbox.africastalking.com.", DefaultValue: DefaultBaseUrl),
        new(UsernameKey, "Username", Required: true, Help: "The Africa's Talking application's username (\"sandbox\" in the sandbox)."),
        new(ApiKeyKey, "API key", Secret: true, Required: true),
        new(FromKey, "Sender ID or short code", Help: "Optional: the 'from' of the messages; empty sends from the account's default."),
        new(CallbackSecretKey, "Callback secret", Secret: true, Required: true,
            Help: "Give Africa's Talking the delivery-report and incoming-message URLs with ?key=<this secret> (or send it in the X-MPM-Key header). Without it every callback is refused."),
    ];

    public static AfricasTalkingOptions From(IReadOnlyDictionary<string, string?> settings)
    {
        var url = settings.GetValueOrDefault(BaseUrlKey);
        return new AfricasTalkingOptions(
            Uri.TryCreate(string.IsNullOrWhiteSpace(url) ? DefaultBaseUrl : url.Trim(), UriKind.Absolute, out var uri) ? uri : new Uri(DefaultBaseUrl),
            Value(settings, UsernameKey), Value(settings, ApiKeyKey), Value(settings, FromKey), Value(settings, CallbackSecretKey));
    }

    private static string? Value(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.GetValueOrDefault(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
