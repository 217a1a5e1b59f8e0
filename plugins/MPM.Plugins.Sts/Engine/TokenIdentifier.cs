using System.Globalization;

namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// The 24-bit token identifier (TID): whole minutes from the base date to the issue time.
/// Both times are naive clock times of the same zone; no DST or UTC conversion is applied.
/// </summary>
public static class TokenIdentifier
{
    public const int MaxValue = (1 << 24) - 1;

    public static int FromIssueTime(DateTime issued, BaseDate baseDate)
    {
        long ticks = issued.Ticks - baseDate.Start().Ticks;
        if (ticks < 0)
            throw new ArgumentOutOfRangeException(nameof(issued), issued, string.Create(CultureInfo.InvariantCulture,
                $"issue time {issued:yyyy-MM-dd HH:mm} is before the base date {(int)baseDate}-01-01"));
        long minutes = ticks / TimeSpan.TicksPerMinute;
        if (minutes > MaxValue)
            throw new ArgumentOutOfRangeException(nameof(issued), issued, string.Create(CultureInfo.InvariantCulture,
                $"issue time {issued:yyyy-MM-dd HH:mm} is past the TID rollover of base date {(int)baseDate} " +
                $"(last valid minute {LastIssueMinute(baseDate):yyyy-MM-dd HH:mm}); move the meter to the next base date with a key change"));
        return (int)minutes;
    }

    public static DateTime ToIssueTime(int tid, BaseDate baseDate)
    {
        if (tid < 0 || tid > MaxValue)
            throw new ArgumentOutOfRangeException(nameof(tid), tid, "a TID is 24 bits (0 to 16777215)");
        return baseDate.Start().AddMinutes(tid);
    }

    /// <summary>The last minute a token can be issued in with this base date (TID 2^24 − 1).</summary>
    public static DateTime LastIssueMinute(BaseDate baseDate) => ToIssueTime(MaxValue, baseDate);

    /// <summary>The first instant that no longer fits in 24 bits: the TID rollover.</summary>
    public static DateTime RolloverAt(BaseDate baseDate) => baseDate.Start().AddMinutes(MaxValue + 1);

    /// <summary>Time left before the rollover at <paramref name="now"/>; negative once it has passed.</summary>
    public static TimeSpan TimeUntilRollover(BaseDate baseDate, DateTime now) => RolloverAt(baseDate) - now;
}
