using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace MPM.Plugins.Trello;

/// <summary>
/// How rate-limit answers (429) are waited out: at most <paramref name="MaxAttempts"/> tries, each wait the answer's
/// Retry-After (or <paramref name="DefaultWait"/>, since Trello usually sends none); a wait longer than
/// <paramref name="MaxWait"/> is not waited out here but handed to the caller's backoff.
/// </summary>
public sealed record TrelloRetry(int MaxAttempts, TimeSpan DefaultWait, TimeSpan MaxWait, TimeProvider Clock, Func<TimeSpan, CancellationToken, Task> Delay)
{
    public static TrelloRetry For(TimeProvider clock) =>
        new(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), clock, (wait, cancellationToken) => Task.Delay(wait, clock, cancellationToken));
}

/// <summary>
/// Trello's REST API (PROTOCOLS.md 5). The key and token travel in the OAuth Authorization header, never in a URL, and
/// are never logged. A 429 is retried as <see cref="TrelloRetry"/> allows, then thrown as an
/// <see cref="HttpRequestException"/> with status 429; any other failure (5xx, 4xx, refused connection) is thrown
/// with the status and Trello's message, and a slow answer as a <see cref="TimeoutException"/>.
/// </summary>
public sealed class TrelloApi(HttpClient http, TrelloRetry retry)
{
    private const int MaxDescription = 16384;
    private static readonly TimeSpan MemberCacheFor = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (string Id, DateTimeOffset At)> _members = new();

    /// <summary>POST /1/cards; returns the new card's id.</summary>
    public async Task<string> CreateCardAsync(TrelloOptions options, string listId, string name, string description, DateTimeOffset? due, string? memberId, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("idList", listId),
            new("name", Clip(name)),
            new("desc", Clip(description)),
            new("pos", "bottom"),
        };
        if (due is { } at)
        {
            form.Add(new("due", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (memberId is not null)
        {
            form.Add(new("idMembers", memberId));
        }

        return IdOf(await SendAsync(options, HttpMethod.Post, "/1/cards", form, cancellationToken), "card");
    }

    /// <summary>POST /1/cards/{id}/actions/comments; returns the comment action's id.</summary>
    public async Task<string> CommentAsync(TrelloOptions options, string cardId, string text, CancellationToken cancellationToken) =>
        IdOf(await SendAsync(options, HttpMethod.Post, $"/1/cards/{Escape(cardId)}/actions/comments", [new("text", Clip(text))], cancellationToken), "comment action");

    /// <summary>PUT /1/cards/{id} with the given fields.</summary>
    public async Task UpdateCardAsync(TrelloOptions options, string cardId, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken) =>
        await SendAsync(options, HttpMethod.Put, $"/1/cards/{Escape(cardId)}", fields, cancellationToken);

    /// <summary>GET /1/members/{username}: the member's id, or null when Trello has no such member (404).</summary>
    public async Task<string?> FindMemberAsync(TrelloOptions options, string username, CancellationToken cancellationToken)
    {
        var body = await SendAsync(options, HttpMethod.Get, $"/1/members/{Escape(username)}?fields=id,username,fullName", null, cancellationToken, notFoundIsNull: true);
        return body is null ? null : IdOf(body, "member");
    }

    /// <summary>
    /// The member's id for a card's members: <see cref="FindMemberAsync"/>, with ids found kept for an hour, since Trello
    /// allows only 100 member lookups per 15 minutes. Null when there is no such member (not kept).
    /// </summary>
    public async Task<string?> MemberIdAsync(TrelloOptions options, string username, CancellationToken cancellationToken)
    {
        var key = $"{options.BaseUrl}|{username.ToLowerInvariant()}";
        var now = retry.Clock.GetUtcNow();
        if (_members.TryGetValue(key, out var known) && now - known.At < MemberCacheFor)
        {
            return known.Id;
        }

        var id = await FindMemberAsync(options, username, cancellationToken);
        if (id is not null)
        {
            _members[key] = (id, now);
        }

        return id;
    }

    /// <summary>POST /1/webhooks on the board; returns the webhook's id.</summary>
    public async Task<string> RegisterWebhookAsync(TrelloOptions options, string boardId, string callbackUrl, CancellationToken cancellationToken) =>
        IdOf(await SendAsync(options, HttpMethod.Post, "/1/webhooks",
            [new("callbackURL", callbackUrl), new("idModel", boardId), new("description", "MPM tickets"), new("active", "true")], cancellationToken), "webhook");

    private async Task<string?> SendAsync(TrelloOptions options, HttpMethod method, string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>>? form, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        options.EnsureUsable();
        var what = $"{method} {pathAndQuery.Split('?')[0]}";
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(options.BaseUrl, pathAndQuery));
            request.Headers.TryAddWithoutValidation("Authorization", $"OAuth oauth_consumer_key=\"{options.ApiKey}\", oauth_token=\"{options.Token}\"");
            request.Headers.Accept.ParseAdd("application/json");
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            HttpResponseMessage response;
            string body;
            try
            {
                response = await http.SendAsync(request, timeout.Token);
                body = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Trello did not answer {what} within {options.Timeout.TotalSeconds:0.#} s");
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                if (response.StatusCode == HttpStatusCode.NotFound && notFoundIsNull)
                {
                    return null;
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = RetryAfter(response);
                    if (attempt < retry.MaxAttempts && wait <= retry.MaxWait)
                    {
                        await retry.Delay(wait, cancellationToken);
                        continue;
                    }

                    throw new HttpRequestException(
                        $"Trello's rate limit refused {what} {attempt} time(s) (retry after {wait.TotalSeconds:0.#} s): {Snippet(body)}", null, HttpStatusCode.TooManyRequests);
                }

                throw new HttpRequestException($"Trello answered HTTP {(int)response.StatusCode} to {what}: {Snippet(body)}", null, response.StatusCode);
            }
        }
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - retry.Clock.GetUtcNow() : retry.DefaultWait);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static string IdOf(string? body, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && !string.IsNullOrEmpty(id.GetString()))
            {
                return id.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        throw new InvalidDataException($"Trello's answer has no {what} id: {Snippet(body ?? "")}");
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>The text cut to the longest Trello takes for a name, description or comment.</summary>
    internal static string Clip(string text) => text.Length <= MaxDescription ? text : text[..MaxDescription];

    private static string Snippet(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
