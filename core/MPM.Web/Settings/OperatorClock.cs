using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Settings;

/// <summary>The operator's calendar: due dates and "today" are dates in the operator's time zone (operator.timezone).</summary>
public static class OperatorClock
{
    public const string TimeZoneKey = "operator.timezone";
    public const string DefaultTimeZone = "Africa/Dar_es_Salaam";

    public static async Task<DateOnly> TodayAsync(MpmDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = await db.OperatorSettings.Where(s => s.Key == TimeZoneKey).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        id = string.IsNullOrWhiteSpace(id) ? DefaultTimeZone : id.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            throw new InvalidOperationException($"operator setting {TimeZoneKey} '{id}' is not a known time zone (e.g. {DefaultTimeZone})");
        }

        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
    }
}
