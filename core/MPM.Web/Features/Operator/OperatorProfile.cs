using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Settings;

namespace MPM.Web.Features.Operator;

/// <summary>The operator-wide settings (name, currency, time zone), read from the database and cached briefly.</summary>
public sealed class OperatorProfile(Database database, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private volatile Cached? _cached;

    public sealed record Snapshot(string Name, string Currency, TimeZoneInfo TimeZone, string? SmsGateway);

    private sealed record Cached(DateTimeOffset Until, Snapshot Value);

    public async Task<Snapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_cached is { } cached && cached.Until > now)
        {
            return cached.Value;
        }

        await using var db = database.Connect();
        var values = (await db.OperatorSettings.ToListAsync(cancellationToken)).ToDictionary(s => s.Key, s => s.Value);
        // The same rule as OperatorClock's: the default zone when unset, and an unknown zone is an error, never a silent UTC.
        var id = values.GetValueOrDefault(OperatorClock.TimeZoneKey) is { Length: > 0 } set ? set.Trim() : OperatorClock.DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            throw new InvalidOperationException($"operator setting {OperatorClock.TimeZoneKey} '{id}' is not a known time zone (e.g. {OperatorClock.DefaultTimeZone})");
        }

        var snapshot = new Snapshot(
            values.GetValueOrDefault("operator.name") ?? "Mini-grid operator",
            values.GetValueOrDefault("operator.currency") ?? "TZS",
            zone,
            values.GetValueOrDefault("sms.gateway"));
        _cached = new Cached(now + CacheFor, snapshot);
        return snapshot;
    }

    /// <summary>The operator's calendar date now.</summary>
    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken = default) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), (await GetAsync(cancellationToken)).TimeZone).DateTime);

    /// <summary>Forget the cache after the settings changed.</summary>
    public void Invalidate() => _cached = null;
}
