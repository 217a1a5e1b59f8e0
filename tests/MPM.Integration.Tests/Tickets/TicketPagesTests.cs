using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using MPM.Web.Features.Tickets;
using Xunit;

namespace MPM.Integration.Tests.Tickets;

/// <summary>The ticket pages over HTTP with the built-in store: categories, users, new ticket, list filters, the ticket page.</summary>
public sealed class TicketPagesTests(BuiltInTicketsHost host) : IClassFixture<BuiltInTicketsHost>
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private Task<int> CountAsync() => host.QueryAsync(db => db.Tickets.CountAsync());

    [Fact]
    public async Task A_manager_adds_a_category_and_bad_values_are_explained_and_save_nothing()
    {
        var client = await host.LoginAsync();

        var saved = await MpmWebFactory.PostFormAsync(client, "/Tickets/Categories", Form(("Input.Name", "Street lights"), ("Input.Colour", "#FFC107"), ("Input.OutSourced", "true")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var category = await host.QueryAsync(db => db.TicketCategories.FirstAsync(c => c.Name == "Street lights"));
        Assert.Equal(("#ffc107", true), (category.Colour, category.OutSourced));

        var before = await host.QueryAsync(db => db.TicketCategories.CountAsync());
        var bad = await MpmWebFactory.PostFormAsync(client, "/Tickets/Categories", Form(("Input.Name", " "), ("Input.Colour", "yellow")));
        var html = Html.Decode(await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("name is required", html);
        Assert.Contains("colour must be a colour like #1f77b4", html);
        var duplicate = await MpmWebFactory.PostFormAsync(client, "/Tickets/Categories", Form(("Input.Name", "street LIGHTS"), ("Input.Colour", "#000000")));
        Assert.Contains("a category named street LIGHTS already exists", Html.Decode(await duplicate.Content.ReadAsStringAsync()));
        Assert.Equal(before, await host.QueryAsync(db => db.TicketCategories.CountAsync()));
    }

    [Fact]
    public async Task A_ticket_made_from_the_customer_page_takes_the_customer_and_their_mini_grid()
    {
        var category = await host.CategoryAsync("Billing question");
        var client = await host.LoginAsync();

        var customerPage = await client.GetStringAsync($"/Customers/{host.Asha}");
        Assert.Contains($"href=\"/Tickets/New?customer={host.Asha}\"", customerPage);
        var form = await client.GetStringAsync($"/Tickets/New?customer={host.Asha}");
        Assert.Equal("Asha Mwita", Html.ElementText(form, "ticket-customer"));

        var response = await MpmWebFactory.PostFormAsync(client, $"/Tickets/New?customer={host.Asha}", Form(
            ("Input.Title", "Paid twice by mistake"), ("Input.Description", "Two payments of 5,000 on 14 March."), ("Input.CategoryId", $"{category}"),
            ("Input.CustomerId", $"{host.Asha}"), ("Input.DueDate", "2026-03-20")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = long.Parse(response.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var ticket = await host.TicketRecordAsync(id);
        Assert.Equal((host.Asha, host.Bukoba, TicketStates.Open, new DateOnly(2026, 3, 20), (string?)null), (ticket.CustomerId, ticket.MiniGridId, ticket.Status, ticket.DueDate, ticket.Provider));
        Assert.Equal(host.Clock.GetUtcNow(), ticket.CreatedAt);
        Assert.Equal(HostTime.Manager, ticket.CreatedBy);
        Assert.Contains($"data-ticket-id=\"{id}\"", await client.GetStringAsync($"/Customers/{host.Asha}"));
        // The built-in store only: nothing for a provider.
        Assert.Empty(await host.OutboxAsync(id));
    }

    [Fact]
    public async Task Bad_ticket_values_are_explained_and_save_nothing()
    {
        var client = await host.LoginAsync();
        var before = await CountAsync();

        var response = await MpmWebFactory.PostFormAsync(client, "/Tickets/New", Form(
            ("Input.Title", ""), ("Input.CategoryId", "999999"), ("Input.MiniGridId", "888888"), ("Input.AssigneeId", "777777"), ("Input.DueDate", "not-a-date")));
        var html = Html.Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("value 'not-a-date' is not valid", html);
        var second = await MpmWebFactory.PostFormAsync(client, "/Tickets/New", Form(("Input.Title", ""), ("Input.CategoryId", "999999"), ("Input.MiniGridId", "888888"), ("Input.AssigneeId", "777777")));
        var text = Html.Decode(await second.Content.ReadAsStringAsync());
        Assert.Contains("title is required", text);
        Assert.Contains("the chosen category does not exist", text);
        Assert.Contains("the chosen mini-grid does not exist", text);
        Assert.Contains("the chosen assignee does not exist", text);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task The_list_filters_by_status_category_assignee_and_mini_grid_and_pages()
    {
        var faults = await host.CategoryAsync("Meter fault list");
        var other = await host.CategoryAsync("Other list");
        var user = (await host.WithAsync<TicketDesk, Web.Features.Catalog.SaveResult>(d => d.AddUserAsync(new TicketUserInput("Juma", "@juma_list", null), "test"))).Id!.Value;
        var a = await host.TicketAsync("Filter A", faults, customer: host.Asha, assignee: user);
        var b = await host.TicketAsync("Filter B", faults, miniGrid: host.Muleba);
        var c = await host.TicketAsync("Filter C", other, miniGrid: host.Muleba, assignee: user);
        await host.WithAsync<TicketDesk, Web.Features.ChangeResult>(d => d.SetClosedAsync(c, true, "test"));
        var client = await host.LoginAsync(TicketsHost.ViewerEmail);

        async Task<long[]> IdsAsync(string query)
        {
            var html = await client.GetStringAsync($"/Tickets?{query}");
            return [.. System.Text.RegularExpressions.Regex.Matches(html, "<tr data-ticket-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Where(id => id == a || id == b || id == c)];
        }

        Assert.Equal([b, a], await IdsAsync($"Category={faults}"));
        Assert.Equal([c], await IdsAsync("Status=closed"));
        Assert.Equal([b, a], await IdsAsync($"Status=open&Category={faults}"));
        Assert.Equal([c, a], await IdsAsync($"Assignee={user}"));
        Assert.Equal([c, b], await IdsAsync($"MiniGrid={host.Muleba}"));
        Assert.Equal([a], await IdsAsync($"MiniGrid={host.Bukoba}&Category={faults}"));

        // 25 a page, newest first.
        for (var i = 0; i < 25; i++)
        {
            await host.TicketAsync($"Paging {i}", other);
        }

        var first = await client.GetStringAsync($"/Tickets?Category={other}");
        var second = await client.GetStringAsync($"/Tickets?Category={other}&p=2");
        Assert.Contains("Showing 1–25 of 26", Html.Decode(first));
        Assert.Contains("Paging 24", first);
        Assert.Contains($"data-ticket-id=\"{c}\"", second);
    }

    [Fact]
    public async Task On_the_ticket_page_a_manager_comments_assigns_closes_and_reopens_and_the_history_says_who()
    {
        var category = await host.CategoryAsync("Meter fault page");
        var user = (await host.WithAsync<TicketDesk, Web.Features.Catalog.SaveResult>(d => d.AddUserAsync(new TicketUserInput("Rehema", "rehema_s", null), "test"))).Id!.Value;
        var id = await host.TicketAsync("Meter display is blank", category, customer: host.Asha);
        var client = await host.LoginAsync();
        var url = $"/Tickets/{id}";

        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, $"{url}?handler=Comment", Form(("Comment", "Visiting tomorrow.")), url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, $"{url}?handler=Assign", Form(("AssigneeId", $"{user}")), url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, $"{url}?handler=Close", Form(), url)).StatusCode);
        var closed = await client.GetStringAsync(url);
        Assert.Equal("closed", Html.ElementText(closed, "ticket-status"));
        Assert.Equal("Rehema @rehema_s", Html.ElementText(closed, "ticket-assignee"));
        Assert.Contains("Visiting tomorrow.", closed);
        Assert.Equal((TicketStates.Closed, host.Clock.GetUtcNow()), ((await host.TicketRecordAsync(id)).Status, (await host.TicketRecordAsync(id)).ClosedAt!.Value));

        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, $"{url}?handler=Reopen", Form(), url)).StatusCode);
        var reopened = await client.GetStringAsync(url);
        Assert.Equal("open", Html.ElementText(reopened, "ticket-status"));
        Assert.Null((await host.TicketRecordAsync(id)).ClosedAt);
        var history = await host.QueryAsync(db => db.TicketHistory.Where(h => h.TicketId == id).OrderBy(h => h.Id).Select(h => h.Actor + " " + h.Action).ToListAsync());
        Assert.Equal(["test created", $"{HostTime.Manager} commented", $"{HostTime.Manager} assigned", $"{HostTime.Manager} closed", $"{HostTime.Manager} reopened"], history);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(reopened, "class=\"list-group-item small history-entry\"").Count);

        // An empty comment is explained and adds nothing.
        var empty = await MpmWebFactory.PostFormAsync(client, $"{url}?handler=Comment", Form(("Comment", "  ")), url);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("the comment is empty", await empty.Content.ReadAsStringAsync());
        Assert.Equal(1, await host.QueryAsync(db => db.TicketComments.CountAsync(c => c.TicketId == id)));
    }

    [Fact]
    public async Task A_viewer_reads_tickets_but_cannot_change_them()
    {
        var category = await host.CategoryAsync("Viewer category");
        var id = await host.TicketAsync("Viewer reads this", category);
        var viewer = await host.LoginAsync(TicketsHost.ViewerEmail);

        var html = await viewer.GetStringAsync($"/Tickets/{id}");
        Assert.Contains("Viewer reads this", html);
        Assert.DoesNotContain("id=\"comment-form\"", html);
        Assert.DoesNotContain("id=\"close-ticket\"", html);
        Assert.DoesNotContain("id=\"category-form\"", await viewer.GetStringAsync("/Tickets/Categories"));

        var viewerToken = MpmWebFactory.AntiforgeryToken(await viewer.GetStringAsync("/Tickets/Categories"));
        foreach (var (url, fields) in new[]
                 {
                     ($"/Tickets/{id}?handler=Close", Form()), ($"/Tickets/{id}?handler=Comment", Form(("Comment", "x"))),
                     ("/Tickets/Categories", Form(("Input.Name", "Viewer made"), ("Input.Colour", "#000000"))),
                     ("/Tickets/Users", Form(("Input.Name", "Viewer"), ("Input.Tag", "@viewer"))),
                     ("/Maintenance/Contractors", Form(("Input.Name", "Viewer"), ("Input.Phone", "+255712999999"))),
                 })
        {
            fields["__RequestVerificationToken"] = viewerToken;
            var response = await viewer.PostAsync(url, new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.NotEqual(HttpStatusCode.OK, (await viewer.GetAsync("/Tickets/New")).StatusCode);
        Assert.Equal(TicketStates.Open, (await host.TicketRecordAsync(id)).Status);
        Assert.Equal(0, await host.QueryAsync(db => db.TicketComments.CountAsync(c => c.TicketId == id)));
        Assert.False(await host.QueryAsync(db => db.TicketCategories.AnyAsync(c => c.Name == "Viewer made")));
    }

    [Fact]
    public async Task Ticketing_users_are_added_with_or_without_an_operator_account_and_bad_tags_are_explained()
    {
        var client = await host.LoginAsync(TicketsHost.AdminEmail);
        var staff = await host.QueryAsync(db => db.Users.Where(u => u.Email == TicketsHost.ManagerEmail).Select(u => u.Id).FirstAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Tickets/Users", Form(("Input.UserId", $"{staff}"), ("Input.Tag", "@manager_m")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Tickets/Users", Form(("Input.Name", "Outside Fundi"), ("Input.Tag", "fundi.one")))).StatusCode);
        var users = await host.QueryAsync(db => db.TicketUsers.Where(u => u.Tag == "@manager_m" || u.Tag == "@fundi.one").OrderBy(u => u.Tag).ToListAsync());
        Assert.Equal([("@fundi.one", "Outside Fundi", (long?)null), ("@manager_m", TicketsHost.ManagerEmail, staff)], users.Select(u => (u.Tag, u.Name, u.UserId)));

        var bad = await MpmWebFactory.PostFormAsync(client, "/Tickets/Users", Form(("Input.Name", "Bad"), ("Input.Tag", "has space")));
        Assert.Contains("tag must be a ticketing system user name", Html.Decode(await bad.Content.ReadAsStringAsync()));
        var taken = await MpmWebFactory.PostFormAsync(client, "/Tickets/Users", Form(("Input.Name", "Again"), ("Input.Tag", "@FUNDI.one")));
        Assert.Contains("a ticketing user with the tag @FUNDI.one already exists", Html.Decode(await taken.Content.ReadAsStringAsync()));
        Assert.False(await host.QueryAsync(db => db.TicketUsers.AnyAsync(u => u.Name == "Bad" || u.Name == "Again")));
    }
}

/// <summary>Who the pages record as the actor.</summary>
internal static class HostTime
{
    public const string Manager = TicketsHost.ManagerEmail;
}
