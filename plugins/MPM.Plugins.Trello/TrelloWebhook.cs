using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MPM.Plugins.Shared.Http;
using MPM.Sdk;
using MPM.Sdk.Ticketing;

namespace MPM.Plugins.Trello;

/// <summary>
/// Trello's webhook calls at /plugins/trello/webhook (PROTOCOLS.md 5): HEAD (and GET) answer 200 for Trello's check at
/// registration; a POST must carry X-Trello-Webhook = base64(HMAC-SHA1(application secret, raw body ‖ callback URL)),
/// else it is refused with 401 before anything is read from it. A comment (commentCard) and closing or reopening a card
/// (updateCard changing "closed", or moving it into or out of the closed-cards list when one is set) reach the core's
/// <see cref="ITicketEvents"/>, each action once; the echo of a comment the platform posted is ignored, as are other actions.
/// </summary>
public static class TrelloWebhook
{
    public const string SignatureHeader = "X-Trello-Webhook";
    public const int MaxBodyBytes = 256 * 1024;

    public static IResult Check() => Results.Ok();

    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var settings = await context.RequestServices.GetRequiredService<IPluginSettings>().GetAsync(TrelloPlugin.Id, cancellationToken);
        var options = TrelloOptions.From(settings);
        if (!Signed(body, context.Request.Headers[SignatureHeader].ToString(), options.WebhookSecret, options.CallbackUrl))
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(TrelloWebhook)).LogWarning(
                "Trello webhook call from {Address} refused: {Reason}", context.Connection.RemoteIpAddress,
                options.WebhookSecret is null || options.CallbackUrl is null ? "the webhook secret or callback URL is not set" : "missing or wrong X-Trello-Webhook signature");
            return Results.Unauthorized();
        }

        TrelloChange? change;
        try
        {
            using var document = JsonDocument.Parse(body);
            change = TrelloChange.From(document.RootElement, options.ClosedListId);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return Results.BadRequest(new { error = $"not a Trello webhook action: {e.Message}" });
        }

        if (change is null)
        {
            return Results.Ok(new { status = "ignored" });
        }

        var events = context.RequestServices.GetRequiredService<ITicketEvents>();
        var actions = context.RequestServices.GetRequiredService<TrelloActions>();
        var applied = await actions.ApplyOnceAsync(change.ActionId, change.CardId, change.Closed is null ? change.Text : null, () => change.Closed is { } closed
            ? events.ClosedChangedAsync(TrelloPlugin.Id, change.CardId, closed, cancellationToken)
            : events.CommentAddedAsync(TrelloPlugin.Id, change.CardId, change.Author, change.Text, cancellationToken), cancellationToken);
        return Results.Ok(new { status = applied ? "applied" : "known" });
    }

    /// <summary>The signature Trello sends for <paramref name="body"/> delivered to <paramref name="callbackUrl"/>.</summary>
    public static string Sign(string secret, byte[] body, string callbackUrl)
    {
        byte[] message = [.. body, .. Encoding.UTF8.GetBytes(callbackUrl)];
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Whether <paramref name="signature"/> is Trello's signature of the body, compared in constant time.</summary>
    internal static bool Signed(byte[] body, string signature, string? secret, string? callbackUrl)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(callbackUrl) || string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Convert.FromBase64String(Sign(secret, body, callbackUrl)));
    }
}

/// <summary>What one webhook action means for a ticket: a comment (<see cref="Closed"/> null) or closing/reopening.</summary>
internal sealed record TrelloChange(string ActionId, string CardId, string Author, string Text, bool? Closed)
{
    /// <summary>The change a delivery carries, or null for an action that changes no ticket. Throws <see cref="FormatException"/> when a relevant action lacks its ids.</summary>
    public static TrelloChange? From(JsonElement root, string? closedListId)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the body has no action object");
        }

        var data = Child(action, "data");
        var old = Child(data, "old");
        switch (StringOf(action, "type"))
        {
            case "commentCard":
                return new TrelloChange(Required(action, "id"), Required(Child(data, "card"), "id"), AuthorOf(action), StringOf(data, "text") ?? "", null);
            case "updateCard" when old?.TryGetProperty("closed", out _) == true:
                var card = Child(data, "card");
                return card?.TryGetProperty("closed", out var closed) == true && closed.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? new TrelloChange(Required(action, "id"), Required(card, "id"), AuthorOf(action), "", closed.GetBoolean())
                    : throw new FormatException("updateCard changed 'closed' without the card's new value");
            case "updateCard" when closedListId is not null && old?.TryGetProperty("idList", out _) == true:
                var into = StringOf(Child(data, "listAfter"), "id") == closedListId;
                var outOf = StringOf(Child(data, "listBefore"), "id") == closedListId;
                return into == outOf ? null : new TrelloChange(Required(action, "id"), Required(Child(data, "card"), "id"), AuthorOf(action), "", into);
            default:
                return null;
        }
    }

    private static string AuthorOf(JsonElement action)
    {
        var member = Child(action, "memberCreator");
        return StringOf(member, "fullName") ?? StringOf(member, "username") ?? "Trello";
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? StringOf(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    private static string Required(JsonElement? parent, string name) => StringOf(parent, name) ?? throw new FormatException($"the action has no '{name}'");
}
