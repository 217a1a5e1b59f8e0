using System.Globalization;
using MPM.Sdk;

namespace MPM.Plugins.Trello;

/// <summary>The plugin's settings, read from the host's settings store.</summary>
public sealed record TrelloOptions(
    Uri BaseUrl,
    string? ApiKey,
    string? Token,
    string? BoardId,
    string? ListId,
    string? ClosedListId,
    string? WebhookSecret,
    string? CallbackUrl,
    TimeSpan Timeout)
{
    public const string BaseUrlKey = "baseUrl";
    public const string ApiKeyKey = "apiKey";
    public const string TokenKey = "token";
    public const string BoardIdKey = "boardId";
    public const string ListIdKey = "listId";
    public const string ClosedListIdKey = "closedListId";
    public const string WebhookSecretKey = "webhookSecret";
    public const string CallbackUrlKey = "callbackUrl";
    public const string TimeoutKey = "timeoutSeconds";
    public const string DefaultBaseUrl = "https://api.trello.com";

    public static IReadOnlyList<PluginSetting> Declared { get; } =
    [
        new(BaseUrlKey, "API base URL", Help: "Where Trello's REST API is (the /1/... paths are appended).", DefaultValue: DefaultBaseUrl),
        new(ApiKeyKey, "API key", Secret: true, Required: true, Help: "The Trello Power-Up / application API key."),
        new(TokenKey, "Token", Secret: true, Required: true, Help: "A user token authorised for the board (read, write); cards and comments are made as that user."),
        new(BoardIdKey, "Board id", Required: true, Help: "The board the tickets live on; the webhook is registered on it."),
        new(ListIdKey, "List id for new cards", Required: true, Help: "The list new tickets are created in (and reopened tickets go back to when a closed list is set)."),
        new(ClosedListIdKey, "List id for closed cards",
            Help: "Optional. When set, closing a ticket moves its card to this list instead of archiving it, and a card moved into or out of it in Trello closes or reopens the ticket."),
        new(WebhookSecretKey, "Webhook secret", Secret: true, Required: true,
            Help: "The Trello application's OAuth secret: each webhook call is signed with X-Trello-Webhook = base64(HMAC-SHA1(secret, body + callback URL)). Without it every call is refused."),
        new(CallbackUrlKey, "Webhook callback URL", Required: true,
            Help: "The public URL Trello calls, e.g. https://mpm.example.org/plugins/trello/webhook; exactly as registered, since it is part of the signature."),
        new(TimeoutKey, "Timeout (seconds)", PluginSettingType.Number, Help: "How long to wait for one answer from Trello.", DefaultValue: "20"),
    ];

    /// <summary>The options from the stored values; a missing or unreadable value takes its default (or null).</summary>
    public static TrelloOptions From(IReadOnlyDictionary<string, string?> settings)
    {
        var url = Value(settings, BaseUrlKey);
        var baseUrl = Uri.TryCreate(url ?? DefaultBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : new Uri(DefaultBaseUrl);
        var timeout = double.TryParse(Value(settings, TimeoutKey), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.1 and <= 120 ? seconds : 20;
        return new TrelloOptions(
            baseUrl,
            Value(settings, ApiKeyKey),
            Value(settings, TokenKey),
            Value(settings, BoardIdKey),
            Value(settings, ListIdKey),
            Value(settings, ClosedListIdKey),
            Value(settings, WebhookSecretKey),
            Value(settings, CallbackUrlKey),
            TimeSpan.FromSeconds(timeout));
    }

    /// <summary>Throws when the credentials or the list for new cards are not set: nothing can be sent without them.</summary>
    public void EnsureUsable()
    {
        var missing = new[] { (ApiKey, "API key"), (Token, "token"), (ListId, "list id for new cards") }.Where(s => s.Item1 is null).Select(s => s.Item2).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"the Trello plugin's {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set");
        }
    }

    private static string? Value(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.GetValueOrDefault(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
