using System.Net;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Integration.Tests.Support;
using MPM.Sdk.Ticketing;
using MPM.Testing;
using MPM.Web.Features;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Tickets;
using Xunit;

namespace MPM.Integration.Tests.Tickets;

/// <summary>
/// Tickets synced to a ticketing provider registered keyed in the host (the fake one): the outbox delivers in order per
/// ticket, retries with backoff (longer after a 429), stores the reference; the provider's events come back through
/// <see cref="ITicketEvents"/>; ticketing user tags are checked with it.
/// </summary>
public sealed class TicketSyncTests(SyncedTicketsHost host) : IClassFixture<SyncedTicketsHost>
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private string[] CallsFor(long ticket) => host.Provider.Calls.Where(c => c.Contains($" {ticket} ", StringComparison.Ordinal) || c.Contains($"card-{ticket}", StringComparison.Ordinal)).ToArray();

    /// <summary>Passes of the outbox until nothing is due now.</summary>
    private async Task DrainAsync()
    {
        while (await host.DeliverAsync() > 0)
        {
        }
    }

    [Fact]
    public async Task A_provider_outage_is_retried_with_growing_delays_in_order_and_the_reference_is_stored()
    {
        var category = await host.CategoryAsync("Outage category");
        var client = await host.LoginAsync();
        host.Provider.FailNext(2);

        // The web does not wait for the provider: the ticket is saved, its changes queued.
        var created = await MpmWebFactory.PostFormAsync(client, "/Tickets/New", Form(("Input.Title", "Pole leaning"), ("Input.CategoryId", $"{category}"), ("Input.MiniGridId", $"{host.Muleba}")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = long.Parse(created.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, $"/Tickets/{id}?handler=Comment", Form(("Comment", "Seen from the road.")), $"/Tickets/{id}")).StatusCode);
        Assert.Equal(FakeTicketing.Id, (await host.TicketRecordAsync(id)).Provider);

        var start = host.Clock.GetUtcNow();
        await DrainAsync();
        var outbox = await host.OutboxAsync(id);
        Assert.Equal([(TicketAction.Create, "pending", 1), (TicketAction.Comment, "pending", 0)], outbox.Select(o => (o.Action, o.Status, o.Attempts)));
        Assert.Equal(start + TicketsHost.RetryDelay, outbox[0].NextAttemptAt);
        Assert.StartsWith("HttpRequestException 503", outbox[0].LastError);
        // The comment waits for its create even though it is due.
        Assert.True(outbox[1].NextAttemptAt <= host.Clock.GetUtcNow());

        host.Clock.Advance(TicketsHost.RetryDelay);
        await DrainAsync();
        outbox = await host.OutboxAsync(id);
        Assert.Equal((2, host.Clock.GetUtcNow() + 2 * TicketsHost.RetryDelay), (outbox[0].Attempts, outbox[0].NextAttemptAt));
        Assert.Equal(0, outbox[1].Attempts);

        host.Clock.Advance(2 * TicketsHost.RetryDelay);
        await DrainAsync();
        outbox = await host.OutboxAsync(id);
        Assert.Equal([(TicketAction.Create, "delivered", 3), (TicketAction.Comment, "delivered", 1)], outbox.Select(o => (o.Action, o.Status, o.Attempts)));
        Assert.Equal($"card-{id}", (await host.TicketRecordAsync(id)).ExternalReference);
        Assert.Equal(
            [$"create {id} Pole leaning [Outage category] ", $"create {id} Pole leaning [Outage category] ", $"create {id} Pole leaning [Outage category] ", $"comment card-{id} {TicketsHost.ManagerEmail}: Seen from the road."],
            CallsFor(id));
        var page = await client.GetStringAsync($"/Tickets/{id}");
        Assert.Contains($"card-{id}", Html.ElementText(page, "ticket-sync"));
    }

    [Fact]
    public async Task A_rate_limit_answer_backs_off_longer_than_other_failures()
    {
        var category = await host.CategoryAsync("Rate limit category");
        var limited = await host.TicketAsync("Rate limited", category);
        host.Provider.FailNext(1, HttpStatusCode.TooManyRequests);
        await DrainAsync();
        var down = await host.TicketAsync("Plain failure", category);
        host.Provider.FailNext(1, HttpStatusCode.BadGateway);
        await DrainAsync();

        var now = host.Clock.GetUtcNow();
        var afterLimit = (await host.OutboxAsync(limited)).Single();
        var afterFailure = (await host.OutboxAsync(down)).Single();
        Assert.Equal((1, now + TicketOutbox.RateLimitFactor * TicketsHost.RetryDelay), (afterLimit.Attempts, afterLimit.NextAttemptAt));
        Assert.StartsWith("HttpRequestException 429", afterLimit.LastError);
        Assert.Equal((1, now + TicketsHost.RetryDelay), (afterFailure.Attempts, afterFailure.NextAttemptAt));

        // The cap holds however many attempts.
        Assert.Equal(TimeSpan.FromMinutes(5), TicketOutbox.Backoff(12, rateLimited: true, TicketsHost.RetryDelay, TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromSeconds(80), TicketOutbox.Backoff(4, rateLimited: false, TicketsHost.RetryDelay, TimeSpan.FromMinutes(5)));

        host.Clock.Advance(TicketOutbox.RateLimitFactor * TicketsHost.RetryDelay);
        await DrainAsync();
        Assert.Equal($"card-{limited}", (await host.TicketRecordAsync(limited)).ExternalReference);
        Assert.Equal($"card-{down}", (await host.TicketRecordAsync(down)).ExternalReference);
    }

    [Fact]
    public async Task Assign_close_and_reopen_go_to_the_provider_in_order()
    {
        var category = await host.CategoryAsync("Order category");
        var user = (await host.WithAsync<TicketDesk, SaveResult>(d => d.AddUserAsync(new TicketUserInput("Zawadi", "@zawadi", null), "test"))).Id!.Value;
        var id = await host.TicketAsync("Ordered changes", category);
        await host.WithAsync<TicketDesk, ChangeResult>(d => d.AssignAsync(id, user, "test"));
        await host.WithAsync<TicketDesk, ChangeResult>(d => d.SetClosedAsync(id, true, "test"));
        await host.WithAsync<TicketDesk, ChangeResult>(d => d.SetClosedAsync(id, true, "test"));
        await host.WithAsync<TicketDesk, ChangeResult>(d => d.SetClosedAsync(id, false, "test"));

        await DrainAsync();

        // The create carries the ticket as it is when delivered (already assigned); the assign that follows repeats it harmlessly.
        Assert.Equal([$"create {id} Ordered changes [Order category] @zawadi", $"assign card-{id} @zawadi", $"close card-{id}", $"reopen card-{id}"], CallsFor(id));
        Assert.All(await host.OutboxAsync(id), o => Assert.Equal("delivered", o.Status));
    }

    [Fact]
    public async Task After_the_last_attempt_the_change_fails_and_the_tickets_later_changes_follow_it()
    {
        var category = await host.CategoryAsync("Exhausted category");
        var id = await host.TicketAsync("Never there", category);
        await host.WithAsync<TicketDesk, ChangeResult>(d => d.CommentAsync(id, "Still here", "test"));
        host.Provider.FailNext(1000);
        try
        {
            // Tickets:MaxAttempts is 30 by default; the delay never passes Tickets:MaxRetryDelay (5 minutes here).
            for (var attempt = 0; attempt < 30; attempt++)
            {
                await DrainAsync();
                host.Clock.Advance(TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            host.Provider.FailNext(0);
        }

        await DrainAsync();
        var outbox = await host.OutboxAsync(id);
        Assert.Equal([(TicketAction.Create, "failed", 30), (TicketAction.Comment, "failed", 0)], outbox.Select(o => (o.Action, o.Status, o.Attempts)));
        Assert.Equal($"the ticket was never created in {FakeTicketing.Id}", outbox[1].LastError);
        Assert.Null((await host.TicketRecordAsync(id)).ExternalReference);
        Assert.Equal(30, CallsFor(id).Length);
        // The ticket itself is kept, with its comment, in the built-in store.
        Assert.Equal(1, await host.QueryAsync(db => db.TicketComments.CountAsync(c => c.TicketId == id)));
    }

    [Fact]
    public async Task The_loop_delivers_by_itself()
    {
        var category = await host.CategoryAsync("Loop category");
        var id = await host.TicketAsync("Delivered by the loop", category);
        var worker = ActivatorUtilities.CreateInstance<TicketOutboxWorker>(host.Factory.Services);
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);

        await Poll.UntilAsync(async () => (await host.TicketRecordAsync(id)).ExternalReference is not null, TimeSpan.FromSeconds(30), "the loop to create the ticket there");
        await stop.CancelAsync();
        await loop;
        Assert.Equal($"card-{id}", (await host.TicketRecordAsync(id)).ExternalReference);
    }

    [Fact]
    public async Task Comments_and_closing_made_in_the_provider_come_back_once_and_unknown_references_change_nothing()
    {
        var category = await host.CategoryAsync("Events category");
        var id = await host.TicketAsync("Comes back", category);
        await DrainAsync();
        var reference = (await host.TicketRecordAsync(id)).ExternalReference!;
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var events = scope.ServiceProvider.GetRequiredService<ITicketEvents>();

        await events.CommentAddedAsync(FakeTicketing.Id, reference, "Zawadi", "Fixed the fuse.");
        await events.ClosedChangedAsync(FakeTicketing.Id, reference, closed: true);
        await events.ClosedChangedAsync(FakeTicketing.Id, reference, closed: true);

        var comment = await host.QueryAsync(db => db.TicketComments.SingleAsync(c => c.TicketId == id));
        Assert.Equal(("Zawadi", "Fixed the fuse.", CommentSource.Provider), (comment.Author, comment.Text, comment.Source));
        Assert.Equal(TicketStates.Closed, (await host.TicketRecordAsync(id)).Status);
        var history = await host.QueryAsync(db => db.TicketHistory.Where(h => h.TicketId == id).OrderBy(h => h.Id).Select(h => h.Actor + " " + h.Action).ToListAsync());
        Assert.Equal(["test created", $"{FakeTicketing.Id} linked", "Zawadi commented", $"{FakeTicketing.Id} closed"], history);
        // What came from the provider is not sent back to it.
        Assert.Equal([TicketAction.Create], (await host.OutboxAsync(id)).Select(o => o.Action));

        await events.ClosedChangedAsync(FakeTicketing.Id, reference, closed: false);
        Assert.Equal(TicketStates.Open, (await host.TicketRecordAsync(id)).Status);

        var counts = await host.QueryAsync(async db => (await db.TicketComments.CountAsync(), await db.TicketHistory.CountAsync()));
        await events.CommentAddedAsync(FakeTicketing.Id, "no-such-card", "Zawadi", "Lost comment");
        await events.ClosedChangedAsync(FakeTicketing.Id, "no-such-card", closed: true);
        await events.CommentAddedAsync("other-provider", reference, "Zawadi", "Wrong provider");
        Assert.Equal(counts, await host.QueryAsync(async db => (await db.TicketComments.CountAsync(), await db.TicketHistory.CountAsync())));

        var page = await (await host.LoginAsync(TicketsHost.ViewerEmail)).GetStringAsync($"/Tickets/{id}");
        Assert.Contains("Fixed the fuse.", page);
        Assert.Contains("data-source=\"provider\"", page);
    }

    [Fact]
    public async Task A_ticketing_user_tag_is_checked_with_the_provider_and_nothing_is_saved_when_unknown_or_unreachable()
    {
        var client = await host.LoginAsync(TicketsHost.AdminEmail);
        async Task<string> PostAsync(string tag) => Html.Decode(await (await MpmWebFactory.PostFormAsync(client, "/Tickets/Users", Form(("Input.Name", "Checked"), ("Input.Tag", tag)))).Content.ReadAsStringAsync());

        Assert.Contains($"{FakeTicketing.Id} has no user @nobody_here", await PostAsync("@nobody_here"));
        host.Provider.Down = true;
        try
        {
            Assert.Contains($"{FakeTicketing.Id} could not be reached to check the tag", await PostAsync("@zawadi"));
        }
        finally
        {
            host.Provider.Down = false;
        }

        Assert.False(await host.QueryAsync(db => db.TicketUsers.AnyAsync(u => u.Name == "Checked")));
        host.Provider.Tags.Add("@amina_checked");
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Tickets/Users", Form(("Input.Name", "Checked"), ("Input.Tag", "amina_checked")))).StatusCode);
        Assert.True(await host.QueryAsync(db => db.TicketUsers.AnyAsync(u => u.Name == "Checked" && u.Tag == "@amina_checked")));
    }

    [Fact]
    public async Task Only_an_admin_chooses_the_provider_and_an_unknown_one_is_refused()
    {
        var manager = await host.LoginAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await MpmWebFactory.PostFormAsync(manager, "/Tickets?handler=Provider", Form(("provider", "")), "/Tickets")).StatusCode);
        var admin = await host.LoginAsync(TicketsHost.AdminEmail);

        var refused = await MpmWebFactory.PostFormAsync(admin, "/Tickets?handler=Provider", Form(("provider", "no-such-plugin")), "/Tickets");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(FakeTicketing.Id, await host.WithAsync<TicketingProviders, string?>(p => p.CurrentAsync()));
        Assert.Contains("'no-such-plugin' is not an active ticketing plugin", Html.Decode(await admin.GetStringAsync("/Tickets")));
    }
}
