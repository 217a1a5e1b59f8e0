namespace MPM.Core.Domain;

/// <summary>The report kinds and the days each covers.</summary>
public static class ReportKinds
{
    public const string Weekly = "weekly";
    public const string Monthly = "monthly";
    public const string PaymentRequests = "payment-requests";

    public static IReadOnlyList<string> All { get; } = [Weekly, Monthly, PaymentRequests];

    public static string Title(string kind) => kind switch
    {
        Weekly => "Weekly revenue report",
        Monthly => "Monthly revenue report",
        PaymentRequests => "Payment requests report",
        _ => throw new ArgumentException($"unknown report kind '{kind}'", nameof(kind)),
    };
}

/// <summary>The first and last day of a report, both included.</summary>
public sealed record ReportPeriod(DateOnly Start, DateOnly End)
{
    /// <summary>The period of <paramref name="kind"/> holding <paramref name="day"/>: its week (Monday to Sunday) or its calendar month.</summary>
    public static ReportPeriod Of(string kind, DateOnly day)
    {
        if (kind == ReportKinds.Weekly)
        {
            var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            return new ReportPeriod(monday, monday.AddDays(6));
        }

        if (kind is ReportKinds.Monthly or ReportKinds.PaymentRequests)
        {
            var first = new DateOnly(day.Year, day.Month, 1);
            return new ReportPeriod(first, first.AddMonths(1).AddDays(-1));
        }

        throw new ArgumentException($"unknown report kind '{kind}'", nameof(kind));
    }
}

/// <summary>
/// When reports are generated without anyone asking: on Monday from 03:00 (operator time) the weekly report of the week
/// before, on the 1st from 03:00 the monthly and payment-requests reports of the month before. <see cref="Due"/> gives
/// the latest scheduled period of each kind at a moment, so a job that runs every hour (and finds a report missing
/// after the host was down at 03:00) catches up.
/// </summary>
public static class ReportSchedule
{
    public static readonly TimeOnly At = new(3, 0);

    public static IReadOnlyList<(string Kind, ReportPeriod Period)> Due(DateTime operatorNow)
    {
        var today = DateOnly.FromDateTime(operatorNow);
        var started = TimeOnly.FromDateTime(operatorNow) >= At;
        // The most recent Monday (or 1st) whose 03:00 has passed.
        var monday = ReportPeriod.Of(ReportKinds.Weekly, today).Start;
        if (monday == today && !started)
        {
            monday = monday.AddDays(-7);
        }

        var first = new DateOnly(today.Year, today.Month, 1);
        if (first == today && !started)
        {
            first = first.AddMonths(-1);
        }

        var lastMonth = first.AddMonths(-1);
        return
        [
            (ReportKinds.Weekly, ReportPeriod.Of(ReportKinds.Weekly, monday.AddDays(-7))),
            (ReportKinds.Monthly, ReportPeriod.Of(ReportKinds.Monthly, lastMonth)),
            (ReportKinds.PaymentRequests, ReportPeriod.Of(ReportKinds.PaymentRequests, lastMonth)),
        ];
    }
}
