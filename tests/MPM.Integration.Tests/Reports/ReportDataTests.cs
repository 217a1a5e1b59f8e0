using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MPM.Core.Domain;
using MPM.Integration.Tests.Dashboards;
using MPM.Sdk.Reports;
using MPM.Web.Features.Reports;
using Xunit;

namespace MPM.Integration.Tests.Reports;

[CollectionDefinition(Name)]
public sealed class ReportCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Reports";
}

/// <summary>
/// Report data on the dashboards' fixed dataset (its own copy, so targets set here touch no dashboard test), against
/// hand-computed figures and against the dashboards' JSON for the same days.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReportDataTests(DashboardFixture fixture)
{
    private Task<ReportDocument> BuildAsync(string kind, DateOnly day) =>
        fixture.WithServiceAsync<ReportData, ReportDocument>(d => d.BuildAsync(kind, ReportPeriod.Of(kind, day)));

    private static ReportTable Table(ReportDocument report, string section) => report.Sections.Single(s => s.Title == section).Tables.Single();

    private static IReadOnlyList<object?> RowOf(ReportTable table, string first) => table.Rows.Single(r => Equals(r[0], first));

    private async Task<JsonElement> DashboardAsync(string query)
    {
        var response = await fixture.Api().GetAsync($"/api/v1/dashboards/clusters?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task The_monthly_report_of_march_holds_the_hand_computed_figures()
    {
        var report = await BuildAsync(ReportKinds.Monthly, new DateOnly(2026, 3, 15));

        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), (report.PeriodStart, report.PeriodEnd));
        Assert.Equal("TZS", report.Currency);
        Assert.False(string.IsNullOrWhiteSpace(report.OperatorName));
        // Payments, revenue, energy, access rate, asset rates, kWh.
        Assert.Equal([5, 4550m, 3200m, 300m, 0m, 8.5m], Table(report, "Summary").Rows.Single());
        var miniGrids = Table(report, "Mini-grids");
        Assert.Equal(["Kagera", "MG-1", 3, 3200m, 300m, 0m, 3500m, 6.4m], miniGrids.Rows.Single(r => Equals(r[1], "MG-1")));
        Assert.Equal(250m, miniGrids.Rows.Single(r => Equals(r[1], "MG-2"))[6]);
        Assert.Equal(0m, miniGrids.Rows.Single(r => Equals(r[1], "MG-3"))[6]);
        Assert.Equal(800m, miniGrids.Rows.Single(r => Equals(r[1], "MG-4"))[6]);
        Assert.Equal(4550m, miniGrids.Totals![6]);

        var villages = Table(report, "Villages");
        Assert.Equal(["MG-1", "Asha's village", 2, 1500m, 2.4m], villages.Rows.Single(r => Equals(r[1], "Asha's village")));
        Assert.Equal(2000m, villages.Rows.Single(r => Equals(r[1], "Baraka's village"))[3]);
        Assert.Equal(4550m, villages.Totals![3]);

        // Household: Asha 1,000 + 500, Chausiku 250, Daudi 800; Business: Baraka 2,000. Only Asha's first payment paid an access rate.
        var groups = Table(report, "Customer groups");
        Assert.Equal(["Business", 1, 2000m, 0m, 0m, 2000m, 4.0m], RowOf(groups, "Business"));
        Assert.Equal(["Household", 4, 1200m, 300m, 0m, 2550m, 4.5m], RowOf(groups, "Household"));

        var ledger = Table(report, "Ledger");
        Assert.Equal(5, ledger.Rows.Count);
        // Oldest first, in operator time: Chausiku's 250 at 00:30 on 1 March (21:30 UTC the day before) opens the month.
        Assert.Equal(new DateTime(2026, 3, 1, 0, 30, 0), ledger.Rows[0][0]);
        Assert.Equal("Chausiku Test", ledger.Rows[0][1]);
        Assert.Equal([new DateTime(2026, 3, 14, 23, 30, 0), "Baraka Test", "SN-02", "MG-1", "Baraka's village", 2000m, 4.0m], ledger.Rows[^1]);
        Assert.Equal(4550m, ledger.Totals![5]);
    }

    [Fact]
    public async Task The_report_equals_the_clusters_dashboard_for_the_same_days()
    {
        var report = await BuildAsync(ReportKinds.Monthly, new DateOnly(2026, 3, 1));
        var json = await DashboardAsync("from=2026-03-01&to=2026-03-31");

        var boxes = json.GetProperty("boxes");
        var summary = Table(report, "Summary").Rows.Single();
        Assert.Equal(boxes.GetProperty("payments").GetInt32(), summary[0]);
        Assert.Equal(boxes.GetProperty("revenue").GetDecimal(), summary[1]);
        Assert.Equal(boxes.GetProperty("energyKWh").GetDecimal(), summary[5]);
        var rows = Table(report, "Mini-grids").Rows;
        foreach (var miniGrid in json.GetProperty("clusters").EnumerateArray().SelectMany(c => c.GetProperty("miniGrids").EnumerateArray()))
        {
            var row = rows.Single(r => Equals(r[1], miniGrid.GetProperty("name").GetString()));
            var figures = miniGrid.GetProperty("figures");
            Assert.Equal(figures.GetProperty("revenue").GetDecimal(), row[6]);
            Assert.Equal(figures.GetProperty("energyAmount").GetDecimal(), row[3]);
            Assert.Equal(figures.GetProperty("accessRateAmount").GetDecimal(), row[4]);
        }

        Assert.Equal(boxes.GetProperty("revenue").GetDecimal(), Table(report, "Ledger").Totals![5]);
    }

    [Fact]
    public async Task A_weekly_report_runs_monday_to_sunday_with_revenue_per_day()
    {
        var report = await BuildAsync(ReportKinds.Weekly, new DateOnly(2026, 3, 10));

        Assert.Equal((new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 15)), (report.PeriodStart, report.PeriodEnd));
        Assert.Equal(2500m, Table(report, "Summary").Rows.Single()[1]);
        var chart = report.Sections.Single(s => s.Title == "Summary").Charts.Single();
        Assert.Equal("Revenue per day", chart.Title);
        Assert.Equal(["Mon 9 Mar", "Tue 10 Mar", "Wed 11 Mar", "Thu 12 Mar", "Fri 13 Mar", "Sat 14 Mar", "Sun 15 Mar"], chart.Labels);
        Assert.Equal([0m, 500m, 0m, 0m, 0m, 2000m, 0m], chart.Values);
        Assert.DoesNotContain(report.Sections, s => s.Title == "Targets");
    }

    [Fact]
    public async Task A_week_across_the_month_end_holds_both_months_payments()
    {
        // 23 February - 1 March: Chausiku's 400 at 23:30 on 28 February and 250 at 00:30 on 1 March.
        var report = await BuildAsync(ReportKinds.Weekly, new DateOnly(2026, 3, 1));

        Assert.Equal([2, 650m, 0m, 0m, 0m, 1.3m], Table(report, "Summary").Rows.Single());
    }

    [Fact]
    public async Task The_monthly_chart_sums_revenue_per_week_within_the_month()
    {
        var report = await BuildAsync(ReportKinds.Monthly, new DateOnly(2026, 3, 31));

        var chart = report.Sections.Single(s => s.Title == "Summary").Charts.Single();
        Assert.Equal(["1 Mar–1 Mar", "2 Mar–8 Mar", "9 Mar–15 Mar", "16 Mar–22 Mar", "23 Mar–29 Mar", "30 Mar–31 Mar"], chart.Labels);
        Assert.Equal([250m, 1800m, 2500m, 0m, 0m, 0m], chart.Values);
    }

    [Fact]
    public async Task The_monthly_report_sets_targets_against_actual_revenue_per_customer_group()
    {
        // Kagera has no target of its own: MG-1's counts (household 2,000, business 4,000 a month); Mara's own: household 1,000.
        await PostTargetAsync(new { ownerType = "mini-grid", ownerId = fixture.Mg1, validUntil = "2026-12-31", values = new object[] { new { connectionTypeId = fixture.Household, revenue = 2000m }, new { connectionTypeId = fixture.Business, revenue = 4000m } } });
        await PostTargetAsync(new { ownerType = "cluster", ownerId = fixture.Mara, validUntil = "2026-12-31", values = new object[] { new { connectionTypeId = fixture.Household, revenue = 1000m } } });

        var targets = Table(await BuildAsync(ReportKinds.Monthly, new DateOnly(2026, 3, 15)), "Targets");

        Assert.Equal(["Household", 3000m, 2550m, 85.0m], RowOf(targets, "Household"));
        Assert.Equal(["Business", 4000m, 2000m, 50.0m], RowOf(targets, "Business"));
        Assert.Equal(["All customers", 7000m, 4550m, 65.0m], targets.Totals);
    }

    [Fact]
    public async Task The_payment_requests_report_is_empty_and_says_so()
    {
        var report = await BuildAsync(ReportKinds.PaymentRequests, new DateOnly(2026, 3, 15));

        var section = report.Sections.Single();
        Assert.Equal(ReportData.NoMaintenanceNote, section.Note);
        Assert.Empty(section.Tables.Single().Rows);
        Assert.Equal(0m, section.Tables.Single().Totals![3]);
    }

    private async Task PostTargetAsync(object body)
    {
        var response = await fixture.Api().PostAsJsonAsync("/api/v1/targets", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
