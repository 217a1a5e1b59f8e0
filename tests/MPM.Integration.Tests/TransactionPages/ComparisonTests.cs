using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Transactions;
using Xunit;

namespace MPM.Integration.Tests.TransactionPages;

/// <summary>
/// The comparison section, against totals worked out by hand from the fixture's transactions. On Monday 2 March:
/// today T1 T2 T3 T4 T11, yesterday T5, same day last week T7 T8, last week (23 Feb – 1 Mar) T5 T6 T7 T8, this month
/// T1–T5 and T11, last month (February) T6–T9. Two of today's are received and one is cancelled.
/// </summary>
[Collection(TransactionPagesCollection.Name)]
public sealed class ComparisonTests(TransactionPagesFixture fixture)
{
    private static readonly TimeZoneInfo DarEsSalaam = TimeZoneInfo.FindSystemTimeZoneById("Africa/Dar_es_Salaam");

    [Fact]
    public async Task Period_totals_count_cancelled_as_cancelled_and_revenue_as_confirmed_only()
    {
        var figures = await fixture.WithServiceAsync<TransactionQueries, IReadOnlyList<ComparisonFigures>>(q => q.ComparisonsAsync(DarEsSalaam));

        var byKind = figures.ToDictionary(f => f.Periods.Kind);
        Assert.Equal((new PeriodTotals(5, 2, 1, 3000m), new PeriodTotals(1, 1, 0, 300m)), (byKind[ComparisonKind.TodayVsYesterday].Current, byKind[ComparisonKind.TodayVsYesterday].Previous));
        Assert.Equal((new PeriodTotals(5, 2, 1, 3000m), new PeriodTotals(2, 0, 1, 0m)), (byKind[ComparisonKind.TodayVsSameDayLastWeek].Current, byKind[ComparisonKind.TodayVsSameDayLastWeek].Previous));
        Assert.Equal((new PeriodTotals(5, 2, 1, 3000m), new PeriodTotals(4, 2, 1, 700m)), (byKind[ComparisonKind.ThisWeekVsLastWeek].Current, byKind[ComparisonKind.ThisWeekVsLastWeek].Previous));
        Assert.Equal((new PeriodTotals(6, 3, 1, 3300m), new PeriodTotals(4, 2, 1, 1200m)), (byKind[ComparisonKind.ThisMonthVsLastMonth].Current, byKind[ComparisonKind.ThisMonthVsLastMonth].Previous));
    }

    [Fact]
    public async Task Totals_of_one_mini_grid_leave_the_others_out()
    {
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TransactionPagesFixture.Local);
        var bukoba = await fixture.WithServiceAsync<TransactionQueries, PeriodTotals>(q => q.TotalsAsync(start, start.AddDays(1), fixture.Bukoba));
        var all = await fixture.WithServiceAsync<TransactionQueries, PeriodTotals>(q => q.TotalsAsync(start, start.AddDays(1)));

        Assert.Equal(new PeriodTotals(2, 1, 0, 1000m), bukoba);
        Assert.Equal(new PeriodTotals(5, 2, 1, 3000m), all);
    }

    [Fact]
    public async Task The_page_shows_both_values_and_the_deltas_of_each_comparison()
    {
        var html = await fixture.GetPageAsync("/Transactions");

        Assert.Equal(new Dictionary<string, Row>
        {
            ["total"] = new("5", "1", "+4", "+400 %"),
            ["confirmed"] = new("2", "1", "+1", "+100 %"),
            ["cancelled"] = new("1", "0", "+1", "—"),
            ["revenue"] = new("3,000.00", "300.00", "+2,700.00", "+900 %"),
        }, Figures(html, ComparisonKind.TodayVsYesterday));
        Assert.Equal(new Dictionary<string, Row>
        {
            ["total"] = new("5", "2", "+3", "+150 %"),
            ["confirmed"] = new("2", "0", "+2", "—"),
            ["cancelled"] = new("1", "1", "0", "0 %"),
            ["revenue"] = new("3,000.00", "0.00", "+3,000.00", "—"),
        }, Figures(html, ComparisonKind.TodayVsSameDayLastWeek));
        Assert.Equal(new Dictionary<string, Row>
        {
            ["total"] = new("5", "4", "+1", "+25 %"),
            ["confirmed"] = new("2", "2", "0", "0 %"),
            ["cancelled"] = new("1", "1", "0", "0 %"),
            ["revenue"] = new("3,000.00", "700.00", "+2,300.00", "+328.6 %"),
        }, Figures(html, ComparisonKind.ThisWeekVsLastWeek));
        Assert.Equal(new Dictionary<string, Row>
        {
            ["total"] = new("6", "4", "+2", "+50 %"),
            ["confirmed"] = new("3", "2", "+1", "+50 %"),
            ["cancelled"] = new("1", "1", "0", "0 %"),
            ["revenue"] = new("3,300.00", "1,200.00", "+2,100.00", "+175 %"),
        }, Figures(html, ComparisonKind.ThisMonthVsLastMonth));
    }

    [Fact]
    public async Task The_comparison_follows_the_mini_grid_filter()
    {
        var html = await fixture.GetPageAsync($"/Transactions?miniGrid={fixture.Bukoba}");

        Assert.Contains("Bukoba", TransactionPagesFixture.Section(html, "h2", "comparisons-heading"));
        Assert.Equal(new Row("2", "1", "+1", "+100 %"), Figures(html, ComparisonKind.TodayVsYesterday)["total"]);
        Assert.Equal(new Row("1,000.00", "300.00", "+700.00", "+233.3 %"), Figures(html, ComparisonKind.TodayVsYesterday)["revenue"]);
    }

    [Fact]
    public async Task Late_on_Sunday_the_week_is_the_one_that_ends_that_night()
    {
        // Sunday 1 March, 22:00 local: this week is 23 February – 1 March (T5 T6 T7 T8), last week 16–22 February (T9).
        var sunday = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 22, 0, 0, TransactionPagesFixture.Local));
        var figures = await fixture.WithServiceAsync<MpmDb, IReadOnlyList<ComparisonFigures>>(db => new TransactionQueries(db, sunday).ComparisonsAsync(DarEsSalaam));

        var week = Assert.Single(figures, f => f.Periods.Kind == ComparisonKind.ThisWeekVsLastWeek);
        Assert.Equal((new PeriodTotals(4, 2, 1, 700m), new PeriodTotals(1, 1, 0, 800m)), (week.Current, week.Previous));
        Assert.Equal(new Delta(-100m, -12.5m), week.Delta(t => t.Revenue));
        var day = Assert.Single(figures, f => f.Periods.Kind == ComparisonKind.TodayVsYesterday);
        Assert.Equal((new PeriodTotals(1, 1, 0, 300m), new PeriodTotals(1, 1, 0, 400m)), (day.Current, day.Previous));
        Assert.Equal(new Delta(-100m, -25m), day.Delta(t => t.Revenue));
    }

    [Fact]
    public async Task Without_a_login_the_page_sends_to_the_login_form()
    {
        var response = await fixture.Factory.CreateBrowserLikeClient().GetAsync("/Transactions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location?.ToString());
    }

    private sealed record Row(string Current, string Previous, string Delta, string Percent);

    private static Dictionary<string, Row> Figures(string html, ComparisonKind kind)
    {
        var start = html.IndexOf($"id=\"comparison-{kind}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no comparison card {kind}");
        var card = html[start..html.IndexOf("card-footer", start, StringComparison.Ordinal)];
        return Regex.Matches(card, """<tr data-figure="(\w+)">.*?data-value="current">([^<]*)</td>.*?data-value="previous">([^<]*)</td>.*?data-value="delta">\s*([^<]*?)\s*<small[^>]*data-value="percent">([^<]*)</small>""", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => new Row(Decode(m.Groups[2].Value), Decode(m.Groups[3].Value), Decode(m.Groups[4].Value), Decode(m.Groups[5].Value)));
    }

    private static string Decode(string html) => WebUtility.HtmlDecode(html).Trim();
}
