namespace MPM.Core.Domain;

/// <summary>The operator's calendar days <see cref="FirstDay"/>..<see cref="LastDay"/> as the instants [Start, End).</summary>
public sealed record Period(DateOnly FirstDay, DateOnly LastDay, DateTimeOffset Start, DateTimeOffset End);

public enum ComparisonKind
{
    TodayVsYesterday,
    TodayVsSameDayLastWeek,
    ThisWeekVsLastWeek,
    ThisMonthVsLastMonth,
}

/// <summary>A period and the earlier one it is compared with.</summary>
public sealed record PeriodPair(ComparisonKind Kind, string CurrentLabel, string PreviousLabel, Period Current, Period Previous);

/// <param name="Percent">Relative to the earlier value, in percent; null when the earlier value is 0.</param>
public sealed record Delta(decimal Absolute, decimal? Percent);

/// <summary>
/// The Transactions page's comparisons, in whole calendar periods of the operator's time zone: today with yesterday and
/// with the same day last week, this week with last week (weeks start on Monday), this month with last month.
/// </summary>
public static class PeriodComparison
{
    public static IReadOnlyList<PeriodPair> For(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);
        return
        [
            new(ComparisonKind.TodayVsYesterday, "Today", "Yesterday", Days(today, 1, zone), Days(today.AddDays(-1), 1, zone)),
            new(ComparisonKind.TodayVsSameDayLastWeek, "Today", "Same day last week", Days(today, 1, zone), Days(today.AddDays(-7), 1, zone)),
            new(ComparisonKind.ThisWeekVsLastWeek, "This week", "Last week", Days(monday, 7, zone), Days(monday.AddDays(-7), 7, zone)),
            new(ComparisonKind.ThisMonthVsLastMonth, "This month", "Last month", Month(firstOfMonth, zone), Month(firstOfMonth.AddMonths(-1), zone)),
        ];
    }

    public static Delta Compare(decimal current, decimal previous) =>
        new(current - previous, previous == 0 ? null : (current - previous) / previous * 100m);

    /// <summary>The first instant of a calendar day in the zone.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // Where the clocks jump forward at midnight, the day starts at its first local time that exists.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // Where they fall back at midnight, it starts at the first of the two midnights (the larger offset).
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static Period Days(DateOnly first, int count, TimeZoneInfo zone) =>
        new(first, first.AddDays(count - 1), StartOfDay(first, zone), StartOfDay(first.AddDays(count), zone));

    private static Period Month(DateOnly first, TimeZoneInfo zone) => Days(first, first.AddMonths(1).DayNumber - first.DayNumber, zone);
}
