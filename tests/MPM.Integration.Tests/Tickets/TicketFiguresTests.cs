using System.Net;
using MPM.Core.Domain;
using MPM.Sdk.Reports;
using MPM.Web.Features;
using MPM.Web.Features.Dashboards;
using MPM.Web.Features.Maintenance;
using MPM.Web.Features.Reports;
using MPM.Web.Features.Tickets;
using Xunit;

namespace MPM.Integration.Tests.Tickets;

/// <summary>
/// Tickets and maintenance jobs made as the clock moves through January–March 2026 (operator time, UTC+3):
/// <list type="bullet">
/// <item>31 Jan 23:30: job A, Hamisi, 50,000.50. 1 Feb 00:30: job B, Hamisi, 20,000 (20 Jan 21:30 UTC: February for the operator).</item>
/// <item>10 Feb: job C, Mwita, 15,000; Meter fault t1 and t2 for Asha (Bukoba); Billing t3 in Bukoba.</item>
/// <item>12 Feb: t1 and job B closed. 20 Feb: Meter fault t4 in Muleba, t5 in Bukoba.</item>
/// <item>1 Mar 00:30: t2 closed; job D, Mwita, 9,999.99.</item>
/// </list>
/// </summary>
public sealed class TicketFiguresHost() : TicketsHost(new DateTimeOffset(2026, 1, 31, 23, 30, 0, TimeSpan.FromHours(3)))
{
    protected override bool ChooseProvider => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var maintenance = await CategoryAsync("Maintenance", outSourced: true);
        var faults = await CategoryAsync("Meter fault");
        var billing = await CategoryAsync("Billing");
        var hamisi = await ContractorAsync("Hamisi Electrical", "+255754100201");
        var mwita = await ContractorAsync("Mwita Poles", "+255754100202");

        Task<long> JobAsync(string job, long contractor, decimal price) => WithAsync<MaintenanceDesk, long>(async d =>
            (await d.RequestAsync(new MaintenanceInput(job, null, new DateOnly(2026, 3, 31), contractor, price, maintenance), "test")).Id!.Value);
        Task CloseAsync(long id) => WithAsync<TicketDesk, ChangeResult>(d => d.SetClosedAsync(id, true, "test"));

        await JobAsync("Job A", hamisi, 50000.50m);
        Clock.Advance(TimeSpan.FromHours(1));
        var jobB = await JobAsync("Job B", hamisi, 20000m);
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 10, 12, 0, 0, TimeSpan.FromHours(3)));
        await JobAsync("Job C", mwita, 15000m);
        var t1 = await TicketAsync("t1", faults, customer: Asha);
        var t2 = await TicketAsync("t2", faults, customer: Asha);
        await TicketAsync("t3", billing, miniGrid: Bukoba);
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 12, 12, 0, 0, TimeSpan.FromHours(3)));
        await CloseAsync(t1);
        await CloseAsync(jobB);
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 20, 12, 0, 0, TimeSpan.FromHours(3)));
        await TicketAsync("t4", faults, miniGrid: Muleba);
        await TicketAsync("t5", faults, customer: Asha);
        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.FromHours(3)));
        await CloseAsync(t2);
        await JobAsync("Job D", mwita, 9999.99m);
    }

    private Task<long> ContractorAsync(string name, string phone) =>
        WithAsync<MaintenanceDesk, long>(async d => (await d.AddContractorAsync(new ContractorInput(name, phone), "test")).Id!.Value);
}

/// <summary>The payment-requests report and the mini-grid dashboard's ticket card on the hand-made months above.</summary>
public sealed class TicketFiguresTests(TicketFiguresHost host) : IClassFixture<TicketFiguresHost>
{
    private Task<ReportDocument> ReportAsync(DateOnly day) =>
        host.WithAsync<ReportData, ReportDocument>(d => d.BuildAsync(ReportKinds.PaymentRequests, ReportPeriod.Of(ReportKinds.PaymentRequests, day)));

    [Fact]
    public async Task The_payment_requests_report_lists_the_months_maintenance_jobs_by_request_day_with_their_prices()
    {
        var february = (await ReportAsync(new DateOnly(2026, 2, 14))).Sections.Single();
        var table = february.Tables.Single();
        Assert.Equal(
            [
                ["Hamisi Electrical", new DateTime(2026, 2, 1), "Maintenance", 20000m],
                ["Mwita Poles", new DateTime(2026, 2, 10), "Maintenance", 15000m],
            ],
            table.Rows);
        Assert.Equal(["Total", null, null, 35000m], table.Totals);
        Assert.Equal(ReportData.MaintenanceNote, february.Note);

        var january = (await ReportAsync(new DateOnly(2026, 1, 1))).Sections.Single().Tables.Single();
        Assert.Equal([["Hamisi Electrical", new DateTime(2026, 1, 31), "Maintenance", 50000.50m]], january.Rows);
        Assert.Equal(50000.50m, january.Totals![3]);
        var march = (await ReportAsync(new DateOnly(2026, 3, 31))).Sections.Single().Tables.Single();
        Assert.Equal(9999.99m, Assert.Single(march.Rows)[3]);

        var april = (await ReportAsync(new DateOnly(2026, 4, 1))).Sections.Single();
        Assert.Empty(april.Tables.Single().Rows);
        Assert.Equal(ReportData.NoMaintenanceNote, april.Note);
    }

    [Fact]
    public async Task The_mini_grid_dashboard_counts_tickets_opened_and_closed_per_category_in_the_period()
    {
        var february = new DashboardPeriod(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));
        var bukoba = await host.WithAsync<DashboardQueries, TicketStatus>(q => q.TicketsAsync(host.Bukoba, february));
        Assert.True(bukoba.Available);
        Assert.Equal([new("Billing", 1, 0), new("Maintenance", 0, 0), new("Meter fault", 3, 1)], bukoba.Categories);
        var muleba = await host.WithAsync<DashboardQueries, TicketStatus>(q => q.TicketsAsync(host.Muleba, february));
        Assert.Equal(new TicketCategoryStatus("Meter fault", 1, 0), muleba.Categories.Single(c => c.Category == "Meter fault"));
        var march = await host.WithAsync<DashboardQueries, TicketStatus>(q => q.TicketsAsync(host.Bukoba, new DashboardPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31))));
        Assert.Equal(new TicketCategoryStatus("Meter fault", 0, 1), march.Categories.Single(c => c.Category == "Meter fault"));

        var client = await host.LoginAsync(TicketsHost.ViewerEmail);
        var response = await client.GetAsync($"/Dashboards/MiniGrid/{host.Bukoba}?from=2026-02-01&to=2026-02-28");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"tickets-empty\"", html);
        Assert.Contains("<tr data-category=\"Meter fault\"><td>Meter fault</td><td class=\"text-end\">3</td><td class=\"text-end\">1</td></tr>", html);
    }
}
