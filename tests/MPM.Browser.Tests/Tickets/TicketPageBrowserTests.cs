using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Data;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Browser.Tests.Tickets;

/// <summary>The ticket page in Chromium: a manager opens a ticket, comments, closes it and sees the status and the history.</summary>
public sealed class TicketPageBrowserTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<BrowserHost>
{
    private const string Email = "tickets-manager@example.com";

    private async Task<long> SeedAsync()
    {
        await Host.Factory.AddUserAsync(Email, BrowserHost.Password, Roles.Manager);
        await using var scope = Host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = DateTimeOffset.UtcNow;
        var category = await db.InsertWithInt64IdentityAsync(new TicketCategoryRecord { Name = "Meter fault", Colour = "#dc3545", CreatedAt = now });
        var ticket = await db.InsertWithInt64IdentityAsync(new TicketRecord
        {
            Title = "Keypad does not accept token", Description = "Reported at the office.", CategoryId = category, Status = TicketStates.Open, CreatedBy = "test", CreatedAt = now,
        });
        await db.InsertAsync(new TicketHistoryRecord { TicketId = ticket, At = now, Actor = "test", Action = "created" });
        return ticket;
    }

    [Fact]
    public async Task A_manager_opens_a_ticket_comments_closes_it_and_sees_status_and_history()
    {
        var id = await SeedAsync();
        await InBrowserAsync(async page =>
        {
            await LogInAsync(page, Email, BrowserHost.Password);
            await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(Email);

            await page.GotoAsync("/Tickets");
            await page.Locator($"#tickets-table tr[data-ticket-id='{id}'] a.ticket-title").ClickAsync();
            await page.WaitForURLAsync($"**/Tickets/{id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.Locator("#ticket-status")).ToHaveTextAsync("open");
            await Assertions.Expect(page.Locator("#no-comments")).ToBeVisibleAsync();

            await page.FillAsync("#comment", "Visited: the keypad was wet, dried and works.");
            await page.ClickAsync("#add-comment");
            await Assertions.Expect(page.Locator("#mpm-flash")).ToContainTextAsync("Comment added.");
            await Assertions.Expect(page.Locator("#ticket-comments .comment-text")).ToHaveTextAsync("Visited: the keypad was wet, dried and works.");

            await page.ClickAsync("#close-ticket");
            await Assertions.Expect(page.Locator("#mpm-flash")).ToContainTextAsync("Ticket closed.");
            await Assertions.Expect(page.Locator("#ticket-status")).ToHaveTextAsync("closed");
            await Assertions.Expect(page.Locator("#reopen-ticket")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#ticket-history .history-action")).ToHaveTextAsync(["created", "commented", "closed"]);
            await Assertions.Expect(page.Locator("#ticket-history .history-entry").Last).ToContainTextAsync(Email);
        });
    }
}
