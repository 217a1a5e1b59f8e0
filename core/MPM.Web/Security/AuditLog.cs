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

    public Task<List<AuditRecord>> LatestAsync(int count, CancellationToken cancellationToken = default) =>
        db.AuditLog.OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
}
