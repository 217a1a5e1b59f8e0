using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using MPM.Plugins.Trello.Tests.Support;
using Xunit;

namespace MPM.Plugins.Trello.Tests;

/// <summary>The plugin's Trello client against the fake Trello over real HTTP: credentials, rate limits and failures.</summary>
public sealed class TrelloApiTests : IAsyncLifetime
{
    private readonly List<TimeSpan> _waits = [];
    private FakeTrello _trello = null!;

    public async Task InitializeAsync() => _trello = await FakeTrello.StartAsync();

    public async Task DisposeAsync() => await _trello.DisposeAsync();

    /// <summary>A client whose rate-limit waits are recorded instead of slept.</summary>
    private TrelloApi Api() => new(new HttpClient(), TrelloRetry.For(TimeProvider.System) with
    {
        Delay = (wait, _) =>
        {
            _waits.Add(wait);
            return Task.CompletedTask;
        },
    });

    private TrelloOptions Options(string? baseUrl = null, string timeout = "5") => TrelloOptions.From(new Dictionary<string, string?>
    {
        [TrelloOptions.BaseUrlKey] = baseUrl ?? _trello.Url,
        [TrelloOptions.ApiKeyKey] = FakeTrello.Key,
        [TrelloOptions.TokenKey] = FakeTrello.Token,
        [TrelloOptions.BoardIdKey] = "board1",
        [TrelloOptions.ListIdKey] = "list-new",
        [TrelloOptions.TimeoutKey] = timeout,
    });

    [Fact]
    public async Task The_key_and_token_travel_in_the_OAuth_header_and_never_in_the_URL()
    {
        var id = await Api().CreateCardAsync(Options(), "list-new", "No power", "Meter dark since Monday", null, null, CancellationToken.None);

        Assert.StartsWith("card", id);
        var request = Assert.Single(_trello.Received);
        Assert.Equal(("POST", "/1/cards"), (request.Method, request.Path));
        Assert.Equal($"OAuth oauth_consumer_key=\"{FakeTrello.Key}\", oauth_token=\"{FakeTrello.Token}\"", request.Authorization);
        Assert.DoesNotContain(FakeTrello.Key, request.Query);
        Assert.DoesNotContain(FakeTrello.Token, request.Query);
        Assert.DoesNotContain(request.Form.Values, v => v.Contains(FakeTrello.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rate_limit_answer_is_waited_out_as_Retry_After_says_then_the_call_succeeds()
    {
        _trello.Then(429, "{\"error\":\"API_TOKEN_LIMIT_EXCEEDED\"}", retryAfter: "3");

        var id = await Api().CommentAsync(Options(), "card0001", "Technician on the way", CancellationToken.None);

        Assert.StartsWith("action", id);
        Assert.Equal([TimeSpan.FromSeconds(3)], _waits);
        Assert.Equal(2, _trello.Received.Count);
        Assert.All(_trello.Received, r => Assert.Equal("/1/cards/card0001/actions/comments", r.Path));
    }

    [Fact]
    public async Task Without_Retry_After_a_short_default_wait_is_used()
    {
        _trello.Then(429, "{\"error\":\"API_KEY_LIMIT_EXCEEDED\"}");

        await Api().UpdateCardAsync(Options(), "card0001", [new("closed", "true")], CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(2)], _waits);
    }

    [Fact]
    public async Task A_rate_limit_that_lasts_is_thrown_as_429_after_a_bounded_number_of_tries()
    {
        for (var i = 0; i < 5; i++)
        {
            _trello.Then(429, "{\"error\":\"API_TOKEN_LIMIT_EXCEEDED\"}", retryAfter: "1");
        }

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Api().CommentAsync(Options(), "card0001", "hello", CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(3, _trello.Received.Count);
        Assert.Equal(2, _waits.Count);
        Assert.Contains("API_TOKEN_LIMIT_EXCEEDED", error.Message);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_cap_is_left_to_the_callers_backoff_without_waiting()
    {
        _trello.Then(429, "{\"error\":\"API_TOKEN_LIMIT_EXCEEDED\"}", retryAfter: "600");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Api().CommentAsync(Options(), "card0001", "hello", CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Single(_trello.Received);
        Assert.Empty(_waits);
        Assert.Contains("600 s", error.Message);
    }

    [Fact]
    public async Task A_server_error_is_thrown_with_its_status_and_not_retried_here()
    {
        _trello.Then(503, "upstream down");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Api().CreateCardAsync(Options(), "list-new", "t", "d", null, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("503", error.Message);
        Assert.Contains("upstream down", error.Message);
        Assert.Single(_trello.Received);
    }

    [Fact]
    public async Task A_refused_request_is_thrown_with_Trellos_reason()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Api().CreateCardAsync(Options() with { Token = "revoked" }, "list-new", "t", "d", null, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("Trello answered HTTP 401 to POST /1/cards: invalid key", error.Message);
        Assert.DoesNotContain("revoked", error.Message);
    }

    [Fact]
    public async Task Trello_being_unreachable_is_thrown_at_once()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<HttpRequestException>(() => Api().CommentAsync(Options(baseUrl: $"http://127.0.0.1:{port}"), "card0001", "hello", CancellationToken.None));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task A_slow_answer_is_given_up_on_after_the_timeout()
    {
        _trello.Delay = TimeSpan.FromSeconds(10);
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Api().CommentAsync(Options(timeout: "0.5"), "card0001", "hello", CancellationToken.None));

        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 0.4, 5);
        Assert.Contains("POST /1/cards/card0001/actions/comments", error.Message);
    }

    [Fact]
    public async Task A_member_lookup_is_null_on_404_and_throws_on_other_failures()
    {
        _trello.Members["neema"] = ("member-neema", "Neema Mushi");

        Assert.Equal("member-neema", await Api().FindMemberAsync(Options(), "neema", CancellationToken.None));
        Assert.Null(await Api().FindMemberAsync(Options(), "nobody", CancellationToken.None));
        _trello.Then(500, "boom");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Api().FindMemberAsync(Options(), "neema", CancellationToken.None));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task Member_ids_for_cards_are_kept_for_an_hour_and_unknown_members_are_asked_for_again()
    {
        var clock = new FakeTimeProvider();
        var api = new TrelloApi(new HttpClient(), TrelloRetry.For(clock));
        _trello.Members["juma_tech"] = ("member-juma", "Juma Said");
        int Lookups(string name) => _trello.Received.Count(r => r.Method == "GET" && string.Equals(r.Path, $"/1/members/{name}", StringComparison.OrdinalIgnoreCase));

        Assert.Equal("member-juma", await api.MemberIdAsync(Options(), "juma_tech", CancellationToken.None));
        Assert.Equal("member-juma", await api.MemberIdAsync(Options(), "Juma_Tech", CancellationToken.None));
        Assert.Null(await api.MemberIdAsync(Options(), "ghost", CancellationToken.None));
        Assert.Null(await api.MemberIdAsync(Options(), "ghost", CancellationToken.None));
        Assert.Equal((1, 2), (Lookups("juma_tech"), Lookups("ghost")));

        clock.Advance(TimeSpan.FromMinutes(61));
        await api.MemberIdAsync(Options(), "juma_tech", CancellationToken.None);
        Assert.Equal(2, Lookups("juma_tech"));
    }

    [Fact]
    public async Task Without_credentials_nothing_is_sent()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Api().CommentAsync(Options() with { ApiKey = null, Token = null }, "card0001", "hello", CancellationToken.None));

        Assert.Contains("API key, token", error.Message);
        Assert.Empty(_trello.Received);
    }

    [Fact]
    public async Task The_webhook_is_registered_on_the_board_with_the_callback_URL()
    {
        var id = await Api().RegisterWebhookAsync(Options(), "board1", "https://mpm.example.org/plugins/trello/webhook", CancellationToken.None);

        Assert.StartsWith("webhook", id);
        var request = Assert.Single(_trello.Received);
        Assert.Equal(("POST", "/1/webhooks"), (request.Method, request.Path));
        Assert.Equal("https://mpm.example.org/plugins/trello/webhook", request.Form["callbackURL"]);
        Assert.Equal("board1", request.Form["idModel"]);
    }

    [Fact]
    public void Settings_that_are_blank_or_unreadable_take_their_defaults()
    {
        var options = TrelloOptions.From(new Dictionary<string, string?> { [TrelloOptions.BaseUrlKey] = "ftp://x", [TrelloOptions.TimeoutKey] = "-1", [TrelloOptions.ClosedListIdKey] = "  " });

        Assert.Equal(new Uri(TrelloOptions.DefaultBaseUrl), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Timeout);
        Assert.Null(options.ClosedListId);
    }
}
