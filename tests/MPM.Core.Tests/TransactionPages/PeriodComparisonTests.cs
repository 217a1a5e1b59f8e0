using System.Globalization;
using MPM.Core.Domain;
using Xunit;

namespace MPM.Core.Tests.TransactionPages;

public sealed class PeriodComparisonTests
{
    private static readonly TimeZoneInfo DarEsSalaam = TimeZoneInfo.FindSystemTimeZoneById("Africa/Dar_es_Salaam"); // UTC+3, no DST

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static decimal M(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    /// <summary>Midnight at the start of the day in Dar es Salaam, as UTC.</summary>
    private static DateTimeOffset Midnight(int year, int month, int day) => new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.FromHours(3)).ToUniversalTime();

    private static Period Get(IReadOnlyList<PeriodPair> pairs, ComparisonKind kind, bool current)
    {
        var pair = Assert.Single(pairs, p => p.Kind == kind);
        return current ? pair.Current : pair.Previous;
    }

    [Fact]
    public void Late_on_a_Sunday_evening_in_Dar_es_Salaam_all_four_comparisons_are_whole_operator_days()
    {
        // 20:30 UTC is 23:30 local on Sunday 1 March 2026.
        var pairs = PeriodComparison.For(new DateTimeOffset(2026, 3, 1, 20, 30, 0, TimeSpan.Zero), DarEsSalaam);

        Assert.Equal([ComparisonKind.TodayVsYesterday, ComparisonKind.TodayVsSameDayLastWeek, ComparisonKind.ThisWeekVsLastWeek, ComparisonKind.ThisMonthVsLastMonth], pairs.Select(p => p.Kind));
        Assert.Equal(new Period(D(2026, 3, 1), D(2026, 3, 1), Midnight(2026, 3, 1), Midnight(2026, 3, 2)), Get(pairs, ComparisonKind.TodayVsYesterday, current: true));
        Assert.Equal(new Period(D(2026, 2, 28), D(2026, 2, 28), Midnight(2026, 2, 28), Midnight(2026, 3, 1)), Get(pairs, ComparisonKind.TodayVsYesterday, current: false));
        Assert.Equal(new Period(D(2026, 2, 22), D(2026, 2, 22), Midnight(2026, 2, 22), Midnight(2026, 2, 23)), Get(pairs, ComparisonKind.TodayVsSameDayLastWeek, current: false));
        // Sunday is the last day of the week that began on Monday 23 February.
        Assert.Equal(new Period(D(2026, 2, 23), D(2026, 3, 1), Midnight(2026, 2, 23), Midnight(2026, 3, 2)), Get(pairs, ComparisonKind.ThisWeekVsLastWeek, current: true));
        Assert.Equal(new Period(D(2026, 2, 16), D(2026, 2, 22), Midnight(2026, 2, 16), Midnight(2026, 2, 23)), Get(pairs, ComparisonKind.ThisWeekVsLastWeek, current: false));
        Assert.Equal(new Period(D(2026, 3, 1), D(2026, 3, 31), Midnight(2026, 3, 1), Midnight(2026, 4, 1)), Get(pairs, ComparisonKind.ThisMonthVsLastMonth, current: true));
        Assert.Equal(new Period(D(2026, 2, 1), D(2026, 2, 28), Midnight(2026, 2, 1), Midnight(2026, 3, 1)), Get(pairs, ComparisonKind.ThisMonthVsLastMonth, current: false));
    }

    [Fact]
    public void An_hour_later_it_is_already_Monday_locally_though_still_Sunday_in_UTC()
    {
        var pairs = PeriodComparison.For(new DateTimeOffset(2026, 3, 1, 21, 30, 0, TimeSpan.Zero), DarEsSalaam);

        Assert.Equal(D(2026, 3, 2), Get(pairs, ComparisonKind.TodayVsYesterday, current: true).FirstDay);
        Assert.Equal(D(2026, 3, 1), Get(pairs, ComparisonKind.TodayVsYesterday, current: false).FirstDay);
        Assert.Equal(D(2026, 2, 23), Get(pairs, ComparisonKind.TodayVsSameDayLastWeek, current: false).FirstDay);
        // Monday starts a new week: the current one is today and the six days after it.
        Assert.Equal(new Period(D(2026, 3, 2), D(2026, 3, 8), Midnight(2026, 3, 2), Midnight(2026, 3, 9)), Get(pairs, ComparisonKind.ThisWeekVsLastWeek, current: true));
        Assert.Equal(new Period(D(2026, 2, 23), D(2026, 3, 1), Midnight(2026, 2, 23), Midnight(2026, 3, 2)), Get(pairs, ComparisonKind.ThisWeekVsLastWeek, current: false));
    }

    [Fact]
    public void Just_after_midnight_on_new_years_day_the_previous_periods_lie_in_the_old_year()
    {
        // 21:10 UTC on 31 December is 00:10 local on Thursday 1 January 2026.
        var pairs = PeriodComparison.For(new DateTimeOffset(2025, 12, 31, 21, 10, 0, TimeSpan.Zero), DarEsSalaam);

        Assert.Equal(new Period(D(2026, 1, 1), D(2026, 1, 1), Midnight(2026, 1, 1), Midnight(2026, 1, 2)), Get(pairs, ComparisonKind.TodayVsYesterday, current: true));
        Assert.Equal(new Period(D(2025, 12, 31), D(2025, 12, 31), Midnight(2025, 12, 31), Midnight(2026, 1, 1)), Get(pairs, ComparisonKind.TodayVsYesterday, current: false));
        Assert.Equal(D(2025, 12, 25), Get(pairs, ComparisonKind.TodayVsSameDayLastWeek, current: false).FirstDay);
        Assert.Equal(new Period(D(2025, 12, 29), D(2026, 1, 4), Midnight(2025, 12, 29), Midnight(2026, 1, 5)), Get(pairs, ComparisonKind.ThisWeekVsLastWeek, current: true));
        Assert.Equal(new Period(D(2025, 12, 22), D(2025, 12, 28), Midnight(2025, 12, 22), Midnight(2025, 12, 29)), Get(pairs, ComparisonKind.ThisWeekVsLastWeek, current: false));
        Assert.Equal(new Period(D(2026, 1, 1), D(2026, 1, 31), Midnight(2026, 1, 1), Midnight(2026, 2, 1)), Get(pairs, ComparisonKind.ThisMonthVsLastMonth, current: true));
        Assert.Equal(new Period(D(2025, 12, 1), D(2025, 12, 31), Midnight(2025, 12, 1), Midnight(2026, 1, 1)), Get(pairs, ComparisonKind.ThisMonthVsLastMonth, current: false));
    }

    [Fact]
    public void On_a_leap_day_february_has_29_days_and_march_compares_with_all_of_them()
    {
        // Tuesday 29 February 2028, noon local.
        var leapDay = PeriodComparison.For(new DateTimeOffset(2028, 2, 29, 12, 0, 0, TimeSpan.FromHours(3)), DarEsSalaam);
        Assert.Equal(new Period(D(2028, 2, 29), D(2028, 2, 29), Midnight(2028, 2, 29), Midnight(2028, 3, 1)), Get(leapDay, ComparisonKind.TodayVsYesterday, current: true));
        Assert.Equal(new Period(D(2028, 2, 1), D(2028, 2, 29), Midnight(2028, 2, 1), Midnight(2028, 3, 1)), Get(leapDay, ComparisonKind.ThisMonthVsLastMonth, current: true));
        Assert.Equal(new Period(D(2028, 1, 1), D(2028, 1, 31), Midnight(2028, 1, 1), Midnight(2028, 2, 1)), Get(leapDay, ComparisonKind.ThisMonthVsLastMonth, current: false));
        Assert.Equal(new Period(D(2028, 2, 28), D(2028, 3, 5), Midnight(2028, 2, 28), Midnight(2028, 3, 6)), Get(leapDay, ComparisonKind.ThisWeekVsLastWeek, current: true));

        // The last day of March: last month is the whole of February, 29 days.
        var endOfMarch = PeriodComparison.For(new DateTimeOffset(2028, 3, 31, 23, 59, 59, TimeSpan.FromHours(3)), DarEsSalaam);
        Assert.Equal(new Period(D(2028, 2, 1), D(2028, 2, 29), Midnight(2028, 2, 1), Midnight(2028, 3, 1)), Get(endOfMarch, ComparisonKind.ThisMonthVsLastMonth, current: false));
        Assert.Equal(D(2028, 3, 24), Get(endOfMarch, ComparisonKind.TodayVsSameDayLastWeek, current: false).FirstDay);

        // 1 March 2028: yesterday is the leap day.
        var firstOfMarch = PeriodComparison.For(new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.FromHours(3)), DarEsSalaam);
        Assert.Equal(D(2028, 2, 29), Get(firstOfMarch, ComparisonKind.TodayVsYesterday, current: false).FirstDay);
        Assert.Equal(D(2028, 2, 23), Get(firstOfMarch, ComparisonKind.TodayVsSameDayLastWeek, current: false).FirstDay);
    }

    [Fact]
    public void A_day_starts_when_the_clocks_say_so_where_daylight_saving_changes_at_midnight()
    {
        // Chile skipped 00:00–01:00 on 8 September 2024 (-04:00 → -03:00): the day began at 01:00 local.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        Assert.Equal(new DateTimeOffset(2024, 9, 8, 4, 0, 0, TimeSpan.Zero), PeriodComparison.StartOfDay(D(2024, 9, 8), santiago));
        Assert.Equal(new DateTimeOffset(2024, 9, 7, 4, 0, 0, TimeSpan.Zero), PeriodComparison.StartOfDay(D(2024, 9, 7), santiago));
        var pairs = PeriodComparison.For(new DateTimeOffset(2024, 9, 8, 12, 0, 0, TimeSpan.Zero), santiago);
        var today = Get(pairs, ComparisonKind.TodayVsYesterday, current: true);
        Assert.Equal(TimeSpan.FromHours(23), today.End - today.Start);

        // Cuba lived 00:00–01:00 twice on 3 November 2024 (-04:00 → -05:00): the day began at the first midnight.
        var havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana");
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 4, 0, 0, TimeSpan.Zero), PeriodComparison.StartOfDay(D(2024, 11, 3), havana));
        Assert.Equal(new DateTimeOffset(2024, 11, 4, 5, 0, 0, TimeSpan.Zero), PeriodComparison.StartOfDay(D(2024, 11, 4), havana));
    }

    [Theory]
    [InlineData("150", "100", "50", "50")]
    [InlineData("0", "4", "-4", "-100")]
    [InlineData("12.50", "10.00", "2.50", "25")]
    [InlineData("5", "0", "5", null)]
    [InlineData("0", "0", "0", null)]
    public void Deltas_are_absolute_and_relative_to_the_earlier_value(string current, string previous, string absolute, string? percent)
    {
        var delta = PeriodComparison.Compare(M(current), M(previous));

        Assert.Equal(M(absolute), delta.Absolute);
        Assert.Equal(percent is null ? null : M(percent), delta.Percent);
    }

    [Fact]
    public void A_percentage_that_does_not_divide_evenly_keeps_its_precision()
    {
        var delta = PeriodComparison.Compare(1m, 3m);
        Assert.Equal(-66.67m, Math.Round(delta.Percent!.Value, 2));
    }
}
