using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using MPM.Core;
using MPM.Data;
using MPM.Integration.Tests.Sms;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Tickets;

/// <summary>
/// Maintenance end to end: the host on a real port with the sms-http gateway plugin pointed at a fake Android gateway
/// over loopback. A request reaches the contractor's phone and is a ticket with its price; the contractor's "ticket …"
/// reply, through the gateway's signed webhook, is a comment on their newest open ticket.
/// </summary>
public sealed class MaintenanceTests
{
    private const string Manager = "maintenance-manager@example.com";
    private const string Password = "correct-horse-battery";
    private const string ContractorPhone = "+255754100999";

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Africa/Dar_es_Salaam")).DateTime);

    private sealed record Setup(HttpClient Client, long OutSourced, long InHouse, long Contractor);

    private static async Task<Setup> SetUpAsync(SmsWorld sms)
    {
        await sms.World.Factory.AddUserAsync(Manager, Password, Roles.Manager);
        // The host serves on a real port (the gateway's webhook reaches it): a browser-like client on that port.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(sms.World.BaseUrl!) };
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Account/Login", Form(("Input.Email", Manager), ("Input.Password", Password)))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Tickets/Categories", Form(("Input.Name", "Maintenance"), ("Input.Colour", "#fd7e14"), ("Input.OutSourced", "true")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Tickets/Categories", Form(("Input.Name", "Meter fault"), ("Input.Colour", "#dc3545")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(client, "/Maintenance/Contractors", Form(("Input.Name", "Hamisi Electrical"), ("Input.Phone", ContractorPhone)))).StatusCode);
        var ids = await sms.World.QueryAsync(async db => (
            await db.TicketCategories.Where(c => c.OutSourced).Select(c => c.Id).SingleAsync(),
            await db.TicketCategories.Where(c => !c.OutSourced).Select(c => c.Id).SingleAsync(),
            await db.Contractors.Select(c => c.Id).SingleAsync()));
        return new Setup(client, ids.Item1, ids.Item2, ids.Item3);
    }

    private static async Task RequestAsync(Setup setup, string job, DateOnly deadline, string price)
    {
        var response = await MpmWebFactory.PostFormAsync(setup.Client, "/Maintenance/New", Form(
            ("Input.Job", job), ("Input.Deadline", deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("Input.ContractorId", $"{setup.Contractor}"),
            ("Input.Price", price), ("Input.CategoryId", $"{setup.OutSourced}")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Maintenance", response.Headers.Location!.OriginalString);
    }

    private static Task<TicketRecord> NewestTicketAsync(SmsWorld sms) => sms.World.QueryAsync(db => db.Tickets.OrderByDescending(t => t.Id).FirstAsync());

    [Fact]
    public async Task A_request_reaches_the_contractors_phone_and_their_ticket_reply_shows_on_the_ticket()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        sms.Gateway.Answer = (_, fields) => (200, $$"""{"id":"app-{{fields["id"]}}","state":"Pending"}""");
        var setup = await SetUpAsync(sms);

        await RequestAsync(setup, "Replace faulty meter at the school", Today.AddDays(3), "45000.50");
        var ticket = await NewestTicketAsync(sms);
        Assert.Equal((setup.OutSourced, setup.Contractor, 45000.50m, TicketStates.Open, Today.AddDays(3)), (ticket.CategoryId, ticket.ContractorId, ticket.Price, ticket.Status, ticket.DueDate));

        var sent = await sms.StatusAsync(m => m.Direction == "out" && m.Phone == ContractorPhone, SmsStatus.Sent);
        var call = Assert.Single(sms.Gateway.Calls);
        Assert.Equal(ContractorPhone, call.Fields["to"]);
        Assert.Equal(
            $"Job #{ticket.Id}: Replace faulty meter at the school. Deadline {Today.AddDays(3):yyyy-MM-dd}. Price 45,000.5 TZS. Reply \"ticket <your message>\" to report.",
            call.Fields["message"]);
        Assert.Equal(sent.Body, call.Fields["message"]);

        // A second, newer job: the reply goes to it. The reply comes from the same phone written the local way.
        await RequestAsync(setup, "Trim trees along the line", Today.AddDays(5), "20000");
        var newer = await NewestTicketAsync(sms);
        var body = """{"event":"received","from":"0754100999","message":"Ticket done, meter replaced","id":"in-ticket-1"}""";
        Assert.Equal(HttpStatusCode.OK, (await sms.HttpWebhookAsync(body)).StatusCode);

        var comment = await sms.World.QueryAsync(db => db.TicketComments.SingleAsync());
        Assert.Equal((newer.Id, "Hamisi Electrical", "done, meter replaced", CommentSource.Sms), (comment.TicketId, comment.Author, comment.Text, comment.Source));
        var incoming = await sms.World.QueryAsync(db => db.SmsMessages.SingleAsync(m => m.Direction == "in"));
        Assert.Equal($"ticket reply: added as a comment to ticket #{newer.Id}", incoming.Reason);
        var page = await setup.Client.GetStringAsync($"/Tickets/{newer.Id}");
        Assert.Contains("done, meter replaced", page);
        Assert.Contains("data-source=\"sms\"", page);
        Assert.Equal("Hamisi Electrical (+255754100999)", Html.ElementText(page, "ticket-contractor"));
    }

    [Fact]
    public async Task A_ticket_reply_from_an_unknown_phone_or_without_an_open_ticket_changes_nothing()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        var setup = await SetUpAsync(sms);
        await RequestAsync(setup, "Clean the solar panels", Today.AddDays(2), "15000");
        var ticket = await NewestTicketAsync(sms);

        Assert.Equal(HttpStatusCode.OK, (await sms.HttpWebhookAsync("""{"event":"received","from":"+255700000777","message":"ticket finished","id":"in-a"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(setup.Client, $"/Tickets/{ticket.Id}?handler=Close", Form(), $"/Tickets/{ticket.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sms.HttpWebhookAsync($$"""{"event":"received","from":"{{ContractorPhone}}","message":"TICKET: all done","id":"in-b"}""")).StatusCode);

        Assert.Equal(0, await sms.World.QueryAsync(db => db.TicketComments.CountAsync()));
        var reasons = await sms.World.QueryAsync(db => db.SmsMessages.Where(m => m.Direction == "in").OrderBy(m => m.Id).Select(m => m.Reason).ToListAsync());
        Assert.Equal(["ticket reply refused: no contractor has this phone; nothing changed", "ticket reply refused: Hamisi Electrical has no open ticket; nothing changed"], reasons);
    }

    [Fact]
    public async Task Bad_request_values_are_explained_and_neither_ticket_nor_sms_is_made_and_overdue_jobs_are_marked()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http", choose: false);
        var setup = await SetUpAsync(sms);

        var bad = await MpmWebFactory.PostFormAsync(setup.Client, "/Maintenance/New", Form(
            ("Input.Job", ""), ("Input.ContractorId", "999999"), ("Input.Price", "-5"), ("Input.CategoryId", $"{setup.InHouse}")));
        var html = Html.Decode(await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        foreach (var message in new[] { "job is required", "deadline is required", "the chosen contractor does not exist", "price must be 0 or more", "a maintenance job needs an out-sourced category" })
        {
            Assert.Contains(message, html);
        }

        var decimals = await MpmWebFactory.PostFormAsync(setup.Client, "/Maintenance/New", Form(
            ("Input.Job", "Fix"), ("Input.Deadline", "2026-01-01"), ("Input.ContractorId", $"{setup.Contractor}"), ("Input.Price", "10.005"), ("Input.CategoryId", $"{setup.OutSourced}")));
        Assert.Contains("price must have at most 2 decimals", Html.Decode(await decimals.Content.ReadAsStringAsync()));
        Assert.Equal((0, 0), await sms.World.QueryAsync(async db => (await db.Tickets.CountAsync(), await db.SmsMessages.CountAsync())));

        await RequestAsync(setup, "Late job", Today.AddDays(-2), "1000");
        var late = await NewestTicketAsync(sms);
        await RequestAsync(setup, "Job due today", Today, "1000");
        var onTime = await NewestTicketAsync(sms);
        var list = await setup.Client.GetStringAsync("/Maintenance");
        Assert.Matches($"<tr data-ticket-id=\"{late.Id}\" class=\"table-danger overdue\">", list);
        Assert.Matches($"<tr data-ticket-id=\"{onTime.Id}\">", list);
        Assert.Single(Regex.Matches(list, ">overdue</span>"));
        // The SMS waits queued while no gateway is chosen; the ticket was saved all the same.
        Assert.Equal(2, await sms.World.QueryAsync(db => db.SmsMessages.CountAsync(m => m.Status == SmsStatus.Queued && m.Phone == ContractorPhone)));
        var contractors = Html.Decode(await setup.Client.GetStringAsync("/Maintenance/Contractors"));
        Assert.Matches("<td>Hamisi Electrical</td><td>\\+255754100999</td><td class=\"text-end\">2</td>", contractors);
    }
}
