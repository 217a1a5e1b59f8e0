using MPM.Core.Domain;
using Xunit;

namespace MPM.Core.Tests.Reports;

/// <summary>Report periods (Monday-based weeks, calendar months) and the scheduled periods across month and year ends.</summary>
public sealed class ReportScheduleTests
{
    private static ReportPeriod P(string start, string end) => new(DateOnly.Parse(start), DateOnly.Parse(end));

    [Theory]
    [InlineData("2026-03-15", "2026-03-09", "2026-03-15")] // a Sunday ends its week
    [InlineData("2026-03-09", "2026-03-09", "2026-03-15")] // a Monday starts one
    [InlineData("2026-01-01", "2025-12-29", "2026-01-04")] // across the year end
    [InlineData("2026-03-01", "2026-02-23", "2026-03-01")] // across a month end
    public void A_week_runs_Monday_to_Sunday(string day, string start, string end) =>
        Assert.Equal(P(start, end), ReportPeriod.Of(ReportKinds.Weekly, DateOnly.Parse(day)));

    [Theory]
    [InlineData(ReportKinds.Monthly, "2024-02-10", "2024-02-01", "2024-02-29")]
    [InlineData(ReportKinds.PaymentRequests, "2026-12-31", "2026-12-01", "2026-12-31")]
    public void A_month_is_its_calendar_month(string kind, string day, string start, string end) =>
        Assert.Equal(P(start, end), ReportPeriod.Of(kind, DateOnly.Parse(day)));

    [Fact]
    public void An_unknown_kind_is_refused() => Assert.Throws<ArgumentException>(() => ReportPeriod.Of("daily", new DateOnly(2026, 3, 1)));

    private static Dictionary<string, ReportPeriod> Due(string operatorNow) =>
        ReportSchedule.Due(DateTime.Parse(operatorNow, System.Globalization.CultureInfo.InvariantCulture)).ToDictionary(d => d.Kind, d => d.Period);

    [Fact]
    public void On_new_years_day_after_three_the_past_week_and_december_are_due()
    {
        // Thursday 1 January 2026, 03:00: the last full week is 22-28 December; the month is December 2025.
        var due = Due("2026-01-01T03:00:00");

        Assert.Equal(P("2025-12-22", "2025-12-28"), due[ReportKinds.Weekly]);
        Assert.Equal(P("2025-12-01", "2025-12-31"), due[ReportKinds.Monthly]);
        Assert.Equal(P("2025-12-01", "2025-12-31"), due[ReportKinds.PaymentRequests]);
    }

    [Fact]
    public void On_the_first_before_three_the_month_before_last_is_still_the_latest()
    {
        var due = Due("2026-01-01T02:59:00");

        Assert.Equal(P("2025-11-01", "2025-11-30"), due[ReportKinds.Monthly]);
    }

    [Fact]
    public void On_a_monday_at_three_the_week_just_ended_is_due_and_before_three_the_one_before()
    {
        // Monday 2 March 2026: the week 23 February - 1 March spans the month end.
        Assert.Equal(P("2026-02-23", "2026-03-01"), Due("2026-03-02T03:00:00")[ReportKinds.Weekly]);
        Assert.Equal(P("2026-02-16", "2026-02-22"), Due("2026-03-02T02:59:59")[ReportKinds.Weekly]);
        Assert.Equal(P("2026-02-01", "2026-02-28"), Due("2026-03-02T02:59:59")[ReportKinds.Monthly]);
    }

    [Fact]
    public void Midweek_the_week_before_this_one_is_due()
    {
        // Wednesday 31 December 2025: this week began on Monday 29 December.
        var due = Due("2025-12-31T12:00:00");

        Assert.Equal(P("2025-12-22", "2025-12-28"), due[ReportKinds.Weekly]);
        Assert.Equal(P("2025-11-01", "2025-11-30"), due[ReportKinds.Monthly]);
    }
}
