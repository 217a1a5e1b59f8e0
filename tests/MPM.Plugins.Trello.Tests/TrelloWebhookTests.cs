using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using MPM.Plugins.Trello.Tests.Support;
using Xunit;

namespace MPM.Plugins.Trello.Tests;

/// <summary>Trello's webhook calls to the real host over HTTP, signed as Trello signs them, reaching the ITicketEvents in the host's services.</summary>
[Collection(TrelloWorld.Collection)]
public sealed class TrelloWebhookTests(TrelloWorld world)
{
    private readonly RecordingTicketEvents _events = world.Events;

    /// <summary>Text as Trello sends it: characters beyond ASCII as UTF-8, not \u escapes.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..24];

    public static string Comment(string actionId, string cardId, string text, string fullName = "Juma Said") => $$$$"""
        {"model":{"id":"board1","name":"MPM tickets"},
         "action":{"id":"{{{{actionId}}}}","idMemberCreator":"member-juma","type":"commentCard","date":"2026-11-28T07:10:00.000Z",
                   "data":{"text":{{{{JsonSerializer.Serialize(text, Unescaped)}}}},"card":{"id":"{{{{cardId}}}}","name":"No power","idShort":12,"shortLink":"aBcD1234"},
                           "board":{"id":"board1","name":"MPM tickets"},"list":{"id":"list-new","name":"New"}},
                   "memberCreator":{"id":"member-juma","username":"juma_tech","fullName":{{{{JsonSerializer.Serialize(fullName, Unescaped)}}}}}}}
        """;

    public static string Closed(string actionId, string cardId, bool closed) => $$$$"""
        {"model":{"id":"board1"},
         "action":{"id":"{{{{actionId}}}}","type":"updateCard","date":"2026-11-28T07:11:00.000Z",
                   "data":{"old":{"closed":{{{{(!closed).ToString().ToLowerInvariant()}}}}},"card":{"id":"{{{{cardId}}}}","closed":{{{{closed.ToString().ToLowerInvariant()}}}},"name":"No power"},
                           "board":{"id":"board1"}},
                   "memberCreator":{"id":"member-juma","username":"juma_tech","fullName":"Juma Said"}}}
        """;

    public static string Moved(string actionId, string cardId, string from, string to) => $$$$"""
        {"model":{"id":"board1"},
         "action":{"id":"{{{{actionId}}}}","type":"updateCard",
                   "data":{"old":{"idList":"{{{{from}}}}"},"card":{"id":"{{{{cardId}}}}","idList":"{{{{to}}}}","closed":false},
                           "listBefore":{"id":"{{{{from}}}}","name":"Before"},"listAfter":{"id":"{{{{to}}}}","name":"After"}},
                   "memberCreator":{"id":"member-juma","username":"juma_tech","fullName":"Juma Said"}}}
        """;

    [Fact]
    public async Task Trellos_HEAD_check_and_a_GET_are_answered_200_without_a_signature()
    {
        using var head = await world.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, TrelloWorld.WebhookPath));
        using var get = await world.Http.GetAsync(TrelloWorld.WebhookPath);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task A_comment_made_in_Trello_reaches_the_ticket_with_its_author_and_text()
    {
        var card = Unique("card");

        var (status, _) = await world.DeliverAsync(Comment(Unique("act"), card, "Replaced the breaker, power is back"));

        Assert.Equal(200, status);
        Assert.Equal([new TicketEvent("comment", "trello", card, "Juma Said", "Replaced the breaker, power is back", null)], _events.For(card));
    }

    [Fact]
    public async Task A_comment_with_text_beyond_ASCII_is_verified_over_its_UTF8_bytes()
    {
        var card = Unique("card");

        var (status, _) = await world.DeliverAsync(Comment(Unique("act"), card, "Umeme umerudi ✓ — asante, Zuhura", fullName: "Zuhura Müller"));

        Assert.Equal(200, status);
        Assert.Equal([("Zuhura Müller", "Umeme umerudi ✓ — asante, Zuhura")], _events.For(card).Select(e => (e.Author, e.Text)));
    }

    [Fact]
    public async Task Closing_and_reopening_a_card_in_Trello_closes_and_reopens_the_ticket()
    {
        var card = Unique("card");

        Assert.Equal(200, (await world.DeliverAsync(Closed(Unique("act"), card, closed: true))).Status);
        Assert.Equal(200, (await world.DeliverAsync(Closed(Unique("act"), card, closed: false))).Status);

        Assert.Equal([true, false], _events.For(card).Select(e => e.Closed));
        Assert.All(_events.For(card), e => Assert.Equal(("closed", "trello"), (e.Kind, e.ProviderId)));
    }

    [Fact]
    public async Task The_echo_of_a_comment_the_platform_posted_is_not_added_again()
    {
        var card = Unique("card");
        var before = (await world.ActionRowsAsync()).Keys.ToHashSet();
        await world.ProviderAsync(p => p.CommentAsync(card, "Technician dispatched.", CancellationToken.None));
        var own = Assert.Single(await world.ActionRowsAsync(), r => !before.Contains(r.Key));
        Assert.Equal("own", own.Value);

        var (status, body) = await world.DeliverAsync(Comment(own.Key, card, "Technician dispatched."));

        Assert.Equal(200, status);
        Assert.Contains("known", body);
        Assert.Empty(_events.For(card));
    }

    [Fact]
    public async Task The_echo_of_a_comment_whose_answer_was_lost_is_not_added_but_a_person_writing_on_the_card_is()
    {
        var card = Unique("card");
        world.Trello.Delay = TimeSpan.FromSeconds(3);
        try
        {
            // Trello takes the comment but the answer comes after the timeout: the outbox will retry.
            await Assert.ThrowsAsync<TimeoutException>(() => world.ProviderAsync(p => p.CommentAsync(card, "Meter replaced.\r\nPlease confirm.", CancellationToken.None)));
        }
        finally
        {
            world.Trello.Delay = TimeSpan.Zero;
        }

        await world.ProviderAsync(p => p.CommentAsync(card, "Meter replaced.\r\nPlease confirm.", CancellationToken.None));
        var lostEcho = await world.DeliverAsync(Comment(Unique("act"), card, "Meter replaced.\nPlease confirm."));
        var person = await world.DeliverAsync(Comment(Unique("act"), card, "Confirmed, thanks", fullName: "Neema Mushi"));

        Assert.Equal([200, 200], new[] { lostEcho.Status, person.Status });
        Assert.Equal([("Neema Mushi", "Confirmed, thanks")], _events.For(card).Select(e => (e.Author, e.Text)));
        Assert.Equal(2, world.Trello.Received.Count(r => r.Path == $"/1/cards/{card}/actions/comments"));
    }

    [Fact]
    public async Task The_echo_of_a_comment_arriving_before_Trellos_answer_is_not_added()
    {
        var card = Unique("card");
        var action = Unique("act");
        world.Trello.NextCommentId = action;
        world.Trello.Delay = TimeSpan.FromSeconds(1);
        Task posting;
        try
        {
            posting = world.ProviderAsync(p => p.CommentAsync(card, "Technician on the way", CancellationToken.None));
            while (!world.Trello.Received.Any(r => r.Path == $"/1/cards/{card}/actions/comments"))
            {
                await Task.Delay(20);
            }

            var early = await world.DeliverAsync(Comment(action, card, "Technician on the way"));
            Assert.Equal((200, "{\"status\":\"known\"}"), early);
            await posting;
        }
        finally
        {
            world.Trello.Delay = TimeSpan.Zero;
        }

        Assert.Equal((200, "{\"status\":\"known\"}"), await world.DeliverAsync(Comment(action, card, "Technician on the way")));
        Assert.Equal("own", (await world.ActionRowsAsync())[action]);
        Assert.Empty(_events.For(card));
    }

    [Fact]
    public async Task A_redelivered_action_is_applied_once()
    {
        var card = Unique("card");
        var delivery = Comment(Unique("act"), card, "Customer called again");

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => world.DeliverAsync(delivery)));
        var again = await world.DeliverAsync(delivery);

        Assert.All(answers.Append(again), a => Assert.Equal(200, a.Status));
        Assert.Single(_events.For(card));
    }

    [Fact]
    public async Task When_the_ticket_store_fails_Trello_is_told_to_retry_and_the_retry_is_applied()
    {
        var card = Unique("card");
        var delivery = Closed(Unique("act"), card, closed: true);
        _events.FailNext();

        var (failed, _) = await world.DeliverAsync(delivery);
        var (retried, _) = await world.DeliverAsync(delivery);

        Assert.Equal(500, failed);
        Assert.Equal(200, retried);
        Assert.Equal([true], _events.For(card).Select(e => e.Closed));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("other secret")]
    [InlineData("other callback URL")]
    [InlineData("body changed")]
    public async Task A_call_without_Trellos_signature_is_refused_and_changes_nothing(string how)
    {
        var card = Unique("card");
        var body = Comment(Unique("act"), card, "Close this ticket");
        var signature = how switch
        {
            "missing" => "",
            "garbage" => "not-base64!!",
            "other secret" => TrelloWorld.Signature(body, secret: "someone-elses-secret"),
            "other callback URL" => TrelloWorld.Signature(body, callbackUrl: "https://attacker.example/plugins/trello/webhook"),
            _ => TrelloWorld.Signature(body.Replace("Close this ticket", "Close this tickey", StringComparison.Ordinal)),
        };
        var rowsBefore = (await world.ActionRowsAsync()).Count;

        var (status, _) = await world.DeliverAsync(body, signature);

        Assert.Equal(401, status);
        Assert.Empty(_events.For(card));
        Assert.Equal(rowsBefore, (await world.ActionRowsAsync()).Count);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_Trello_action_is_a_bad_request()
    {
        var calls = _events.Calls.Count;

        Assert.Equal(400, (await world.DeliverAsync("{\"action\": {\"id\": ")).Status);
        Assert.Equal(400, (await world.DeliverAsync("[1,2,3]")).Status);
        Assert.Equal(400, (await world.DeliverAsync("{\"action\":{\"type\":\"commentCard\",\"data\":{\"text\":\"no ids\"}}}")).Status);
        Assert.Equal(calls, _events.Calls.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_body_is_refused_before_it_is_read(bool chunked)
    {
        var calls = _events.Calls.Count;
        var body = Comment(Unique("act"), Unique("card"), new string('x', 300 * 1024));

        var (status, _) = await world.DeliverAsync(body, chunked: chunked);

        Assert.Equal(413, status);
        Assert.Equal(calls, _events.Calls.Count);
    }

    [Fact]
    public async Task Other_actions_are_acknowledged_and_ignored()
    {
        var card = Unique("card");
        var created = $$$$"""{"action":{"id":"{{{{Unique("act")}}}}","type":"createCard","data":{"card":{"id":"{{{{card}}}}"}}},"model":{"id":"board1"}}""";
        var renamed = $$$$"""{"action":{"id":"{{{{Unique("act")}}}}","type":"updateCard","data":{"old":{"name":"a"},"card":{"id":"{{{{card}}}}","name":"b"}}},"model":{"id":"board1"}}""";

        Assert.Equal((200, "{\"status\":\"ignored\"}"), await world.DeliverAsync(created));
        Assert.Equal((200, "{\"status\":\"ignored\"}"), await world.DeliverAsync(renamed));
        Assert.Empty(_events.For(card));
    }
}

/// <summary>With a list for closed cards set, moving a card into it closes the ticket and out of it reopens it.</summary>
[Collection(ClosedListWorld.Collection)]
public sealed class TrelloClosedListWebhookTests(ClosedListWorld world)
{
    [Fact]
    public async Task Moving_a_card_into_and_out_of_the_closed_list_closes_and_reopens_and_other_moves_do_nothing()
    {
        var card = $"card{Guid.NewGuid():N}";

        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Moved($"a1{card}", card, "list-new", "list-doing"))).Status);
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Moved($"a2{card}", card, "list-doing", "list-done"))).Status);
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Moved($"a3{card}", card, "list-done", "list-new"))).Status);
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Closed($"a4{card}", card, closed: true))).Status);

        Assert.Equal([true, false, true], world.Events.For(card).Select(e => e.Closed));
    }
}
