using LinqToDB.Data;
using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Claims due rows of a work table for one worker: FOR UPDATE SKIP LOCKED, so workers on any number of hosts never
/// take the same row, and a claim that expires (its worker died) makes the row due again.
/// </summary>
public static class WorkClaims
{
    /// <param name="table">A pipeline table with next_attempt_at and claimed_until columns.</param>
    /// <param name="pending">The SQL condition that makes a row pending, e.g. "status = 'queued'".</param>
    /// <param name="claimant">The claiming host, written to claimed_by (tables that have it), so that it can release its claims when it stops.</param>
    public static Task<List<long>> ClaimAsync(MpmDb db, string table, string pending, int count, DateTimeOffset now, TimeSpan claimFor, CancellationToken cancellationToken, Guid? claimant = null) =>
        db.QueryToListAsync<long>($"""
            UPDATE mpm.{table} SET claimed_until = @until{(claimant is null ? "" : ", claimed_by = @by")}
            WHERE id IN (
                SELECT id FROM mpm.{table}
                WHERE {pending} AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                ORDER BY next_attempt_at, id
                LIMIT @count
                FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, cancellationToken, [new DataParameter("until", now + claimFor), new DataParameter("now", now), new DataParameter("count", count), .. claimant is { } by ? [new DataParameter("by", by)] : Array.Empty<DataParameter>()]);
}
