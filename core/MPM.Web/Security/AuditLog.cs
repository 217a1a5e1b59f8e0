using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk;

namespace MPM.Web.Security;

/// <summary>Who did what, when: admin actions, settings changes, management tokens.</summary>
public sealed class AuditLog(MpmDb db, TimeProvider clock) : IAuditTrail
{
    public Task WriteAsync(string actor, string action, string details, CancellationToken cancellationToken = default) =>
        db.InsertAsync(new AuditRecord { At = clock.GetUtcNow(), Actor = actor, Action = action, Details = details }, token: cancellationToken);

    /// <summary>A page of entries, newest first: actor contains <paramref name="actor"/>, action starts with <paramref name="kind"/>, at in [from, to).</summary>
    public async Task<(List<AuditRecord> Entries, int Total)> SearchAsync(string? actor, string? kind, DateTimeOffset? from, DateTimeOffset? to, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var query = db.AuditLog.AsQueryable();
        if (!string.IsNullOrWhiteSpace(actor))
        {
            var pattern = actor.Trim().ToLowerInvariant();
            query = query.Where(a => a.Actor.ToLower().Contains(pattern));
        }

        if (!string.IsNullOrWhiteSpace(kind))
        {
            var prefix = kind.Trim();
            query = query.Where(a => a.Action.StartsWith(prefix));
        }

        if (from is not null)
        {
            query = query.Where(a => a.At >= from.Value);
        }

        if (to is not null)
        {
            query = query.Where(a => a.At < to.Value);
        }

        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip((Math.Clamp(page, 1, int.MaxValue / pageSize) - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (entries, total);
    }

    /// <summary>The kinds of entry written so far (for the filter).</summary>
    public Task<List<string>> KindsAsync(CancellationToken cancellationToken = default) =>
        db.AuditLog.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);

    public Task<List<AuditRecord>> LatestAsync(int count, CancellationToken cancellationToken = default) =>
        db.AuditLog.OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
}
