using System.Net;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Plugins.Trello.Tests.Support;
using MPM.Testing;
using MPM.Web.Features.Tickets;
using Xunit;

namespace MPM.Plugins.Trello.Tests;

/// <summary>
/// The whole round trip with the core's tickets, over real HTTP both ways: a ticket made on the web becomes a card on
/// the (fake) Trello through the core's ticket outbox, and what is done to the card in Trello comes back to the ticket page.
/// </summary>
[Collection(CoreTicketsWorld.Collection)]
public sealed class TrelloCoreTicketsTests(CoreTicketsWorld world)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_ticket_made_on_the_web_is_a_card_in_Trello_and_what_happens_to_the_card_shows_on_the_ticket()
    {
        var web = await LoginAsync();
        var category = await WithAsync<TicketDesk, long>(async d => (await d.AddCategoryAsync(new CategoryInput("Meter fault", "#dc3545", false), "test")).Id!.Value);

        var created = await MpmWebFactory.PostFormAsync(web, "/Tickets/New", new()
        {
            ["Input.Title"] = "No power at Kashai school",
            ["Input.Description"] = "Breaker trips every evening",
            ["Input.CategoryId"] = $"{category}",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var ticketUrl = created.Headers.Location!.OriginalString;
        var ticketId = long.Parse(ticketUrl.Split('/')[^1]);

        var card = await EventuallyAsync(async () => (await TicketAsync(ticketId)).ExternalReference);
        var cardRequest = Assert.Single(world.Trello.Received, r => r is { Method: "POST", Path: "/1/cards" } && r.Form["name"] == "No power at Kashai school");
        Assert.Equal("list-new", cardRequest.Form["idList"]);
        Assert.StartsWith("Breaker trips every evening", cardRequest.Form["desc"]);
        Assert.Equal("trello", (await TicketAsync(ticketId)).Provider);

        // A comment made in Trello lands on the ticket page.
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Comment("act-e2e-1", card, "Fundi on the way, ETA 2h"))).Status);
        var page = await web.GetStringAsync(ticketUrl);
        Assert.Contains("Fundi on the way, ETA 2h", page);
        Assert.Contains("Juma Said", page);

        // A comment made on the web goes to the card; Trello's echo of it does not add it twice.
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(web, $"{ticketUrl}?handler=Comment", new() { ["Comment"] = "Customer confirms outage" }, ticketUrl)).StatusCode);
        var posted = await EventuallyAsync(() => Task.FromResult(world.Trello.Received.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/1/cards/{card}/actions/comments")));
        Assert.Contains("Customer confirms outage", posted.Form["text"]);
        var echoId = await EventuallyAsync(async () => (await world.ActionRowsAsync()).FirstOrDefault(r => r.Value == "own").Key);
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Comment(echoId, card, posted.Form["text"], fullName: "MPM"))).Status);
        var comments = await WithAsync<MpmDb, List<TicketCommentRecord>>(db => db.TicketComments.Where(c => c.TicketId == ticketId).ToListAsync());
        Assert.Equal(2, comments.Count);

        // Closing the card in Trello closes the ticket; reopening it there reopens it.
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Closed("act-e2e-2", card, closed: true))).Status);
        Assert.Equal(TicketStates.Closed, (await TicketAsync(ticketId)).Status);
        Assert.Equal(200, (await world.DeliverAsync(TrelloWebhookTests.Closed("act-e2e-3", card, closed: false))).Status);
        Assert.Equal(TicketStates.Open, (await TicketAsync(ticketId)).Status);
    }

    [Fact]
    public async Task Trello_down_keeps_the_ticket_and_the_card_is_made_when_it_answers_again()
    {
        var web = await LoginAsync();
        var category = await WithAsync<TicketDesk, long>(async d => (await d.AddCategoryAsync(new CategoryInput("Outage while down", "#123abc", false), "test")).Id!.Value);
        world.Trello.Then(503, "Service Unavailable");
        world.Trello.Then(429, "rate limited", retryAfter: "60");

        var created = await MpmWebFactory.PostFormAsync(web, "/Tickets/New", new() { ["Input.Title"] = "Pole leaning at Muleba", ["Input.CategoryId"] = $"{category}" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var ticketId = long.Parse(created.Headers.Location!.OriginalString.Split('/')[^1]);

        var card = await EventuallyAsync(async () => (await TicketAsync(ticketId)).ExternalReference);
        Assert.Equal(3, world.Trello.Received.Count(r => r is { Method: "POST", Path: "/1/cards" } && r.Form.GetValueOrDefault("name") == "Pole leaning at Muleba"));
        Assert.StartsWith("card", card);
    }

    private async Task<HttpClient> LoginAsync()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = world.Http.BaseAddress };
        var response = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = CoreTicketsWorld.ManagerEmail, ["Input.Password"] = CoreTicketsWorld.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private Task<TicketRecord> TicketAsync(long id) => WithAsync<MpmDb, TicketRecord>(db => db.Tickets.FirstAsync(t => t.Id == id));

    private async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        await using var scope = world.Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (await probe() is { } value && (value is not string s || s.Length > 0))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, $"not there within {Deadline.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
