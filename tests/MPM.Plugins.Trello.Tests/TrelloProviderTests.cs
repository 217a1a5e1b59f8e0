using System.Net;
using MPM.Plugins.Trello.Tests.Support;
using MPM.Sdk.Ticketing;
using MPM.Web.Cli;
using Xunit;

namespace MPM.Plugins.Trello.Tests;

/// <summary>The plugin's ticketing provider as the core calls it: keyed "trello" in the real host, settings from the real store, the fake Trello over HTTP.</summary>
[Collection(TrelloWorld.Collection)]
public sealed class TrelloProviderTests(TrelloWorld world)
{
    private readonly FakeTrello _trello = world.Trello;

    private TrelloRequest[] Requests(string method, string pathStart) =>
        _trello.Received.Where(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task A_ticket_becomes_a_card_on_the_new_list_with_its_name_description_due_date_and_assignee()
    {
        _trello.Members["juma_tech"] = ("member-juma", "Juma Said");
        var due = new DateTimeOffset(2026, 12, 3, 14, 30, 0, TimeSpan.FromHours(3));
        var ticket = new TicketInfo(4711, "No power at Nansio 12", "Meter 47001234567 dark since Monday.", "Outage", "@juma_tech", due);

        var cardId = await world.ProviderAsync(p => p.CreateAsync(ticket, CancellationToken.None));

        var card = Assert.Single(Requests("POST", "/1/cards"), r => r.Form.GetValueOrDefault("name") == "No power at Nansio 12");
        Assert.StartsWith("card", cardId);
        Assert.Equal("list-new", card.Form["idList"]);
        Assert.Equal("Meter 47001234567 dark since Monday.\n\nCategory: Outage · MPM ticket #4711", card.Form["desc"]);
        Assert.Equal("2026-12-03T11:30:00.000Z", card.Form["due"]);
        Assert.Equal("member-juma", card.Form["idMembers"]);
        Assert.Contains(_trello.Received, r => r is { Method: "GET", Path: "/1/members/juma_tech" });
    }

    [Fact]
    public async Task A_ticket_without_a_known_assignee_or_due_date_is_a_card_without_members_or_due()
    {
        var ticket = new TicketInfo(4712, "Bill question", "Customer asks about the tariff.", "Billing", "@left_the_company", null);

        await world.ProviderAsync(p => p.CreateAsync(ticket, CancellationToken.None));

        var card = Assert.Single(Requests("POST", "/1/cards"), r => r.Form.GetValueOrDefault("name") == "Bill question");
        Assert.False(card.Form.ContainsKey("idMembers"));
        Assert.False(card.Form.ContainsKey("due"));
        Assert.Contains(_trello.Received, r => r is { Method: "GET", Path: "/1/members/left_the_company" });
    }

    [Fact]
    public async Task A_comment_is_posted_to_the_card_and_its_action_id_remembered_as_the_platforms_own()
    {
        await world.ProviderAsync(p => p.CommentAsync("cardC1", "Technician dispatched.", CancellationToken.None));

        var comment = Assert.Single(Requests("POST", "/1/cards/cardC1/actions/comments"));
        Assert.Equal("Technician dispatched.", comment.Form["text"]);
        Assert.Contains(await world.ActionRowsAsync(), row => row.Value == "own");
    }

    [Fact]
    public async Task Assigning_sets_the_cards_members_to_the_resolved_member_and_unassigning_clears_them()
    {
        _trello.Members["asha"] = ("member-asha", "Asha Mrema");

        await world.ProviderAsync(p => p.AssignAsync("cardA1", "@asha", CancellationToken.None));
        await world.ProviderAsync(p => p.AssignAsync("cardA1", null, CancellationToken.None));

        var updates = Requests("PUT", "/1/cards/cardA1");
        Assert.Equal(["member-asha", ""], updates.Select(u => u.Form["idMembers"]));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => world.ProviderAsync(p => p.AssignAsync("cardA1", "@ghost", CancellationToken.None)));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(2, Requests("PUT", "/1/cards/cardA1").Length);
    }

    [Fact]
    public async Task Closing_archives_the_card_and_reopening_brings_it_back()
    {
        await world.ProviderAsync(p => p.SetClosedAsync("cardX1", true, CancellationToken.None));
        await world.ProviderAsync(p => p.SetClosedAsync("cardX1", false, CancellationToken.None));

        Assert.Equal(["true", "false"], Requests("PUT", "/1/cards/cardX1").Select(u => u.Form["closed"]));
    }

    [Fact]
    public async Task A_ticketing_tag_is_checked_against_Trellos_member_lookup_without_its_at_sign()
    {
        _trello.Members["neema"] = ("member-neema", "Neema Mushi");

        Assert.True(await world.ProviderAsync(p => p.UserExistsAsync("@neema", CancellationToken.None)));
        Assert.False(await world.ProviderAsync(p => p.UserExistsAsync("@nobody_here", CancellationToken.None)));
        Assert.False(await world.ProviderAsync(p => p.UserExistsAsync(" @ ", CancellationToken.None)));

        Assert.Contains(_trello.Received, r => r is { Method: "GET", Path: "/1/members/neema" });
        Assert.Contains(_trello.Received, r => r is { Method: "GET", Path: "/1/members/nobody_here" });
        Assert.DoesNotContain(_trello.Received, r => r.Path.Contains('@', StringComparison.Ordinal) || r.Path == "/1/members/");
    }

    [Fact]
    public async Task A_failing_member_lookup_is_an_error_not_a_missing_user()
    {
        _trello.Then(500, "Trello is having a bad day");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => world.ProviderAsync(p => p.UserExistsAsync("@neema", CancellationToken.None)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task A_rate_limit_is_waited_out_and_Trello_being_down_is_thrown_for_the_outbox_to_retry()
    {
        _trello.Then(429, "{\"error\":\"API_TOKEN_LIMIT_EXCEEDED\"}", retryAfter: "0");
        await world.ProviderAsync(p => p.CommentAsync("cardR1", "after the limit", CancellationToken.None));
        Assert.Equal(2, Requests("POST", "/1/cards/cardR1/actions/comments").Length);

        _trello.Then(502, "Bad gateway");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => world.ProviderAsync(p => p.SetClosedAsync("cardR1", true, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
    }

    [Fact]
    public async Task The_register_webhook_verb_registers_the_callback_URL_on_the_board()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliRunner.RunAsync(world.Factory.Services, "trello", ["register-webhook"], output, error);

        Assert.True(code == 0, error.ToString());
        var request = Assert.Single(Requests("POST", "/1/webhooks"));
        Assert.Equal(TrelloWorld.CallbackUrl, request.Form["callbackURL"]);
        Assert.Equal("board1", request.Form["idModel"]);
        Assert.Contains($"registered on board board1 for {TrelloWorld.CallbackUrl}", output.ToString());
        Assert.Equal(2, await CliRunner.RunAsync(world.Factory.Services, "trello", ["register"], output, error));
    }
}

/// <summary>With a list for closed cards set, closing moves the card there and reopening moves it back.</summary>
[Collection(ClosedListWorld.Collection)]
public sealed class TrelloClosedListProviderTests(ClosedListWorld world)
{
    [Fact]
    public async Task Closing_moves_the_card_to_the_closed_list_and_reopening_moves_it_back_unarchived()
    {
        await world.ProviderAsync(p => p.SetClosedAsync("cardL1", true, CancellationToken.None));
        await world.ProviderAsync(p => p.SetClosedAsync("cardL1", false, CancellationToken.None));

        var updates = world.Trello.Received.Where(r => r is { Method: "PUT", Path: "/1/cards/cardL1" }).ToArray();
        Assert.Equal(2, updates.Length);
        Assert.Equal(new Dictionary<string, string> { ["idList"] = "list-done" }, updates[0].Form);
        Assert.Equal(new Dictionary<string, string> { ["idList"] = "list-new", ["closed"] = "false" }, updates[1].Form);
    }
}
