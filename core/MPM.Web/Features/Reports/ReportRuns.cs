using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Payments;

namespace MPM.Web.Features.Reports;

public static class ReportRunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}

[Table("report_runs", Schema = "mpm")]
public sealed class ReportRunRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("kind"), NotNull] public string Kind { get; set; } = "";
    [Column("period_start")] public DateOnly PeriodStart { get; set; }
    [Column("period_end")] public DateOnly PeriodEnd { get; set; }
    [Column("status"), NotNull] public string Status { get; set; } = ReportRunStatus.Queued;
    [Column("step")] public string? Step { get; set; }
    [Column("formats_done")] public int FormatsDone { get; set; }
    [Column("formats_total")] public int FormatsTotal { get; set; }
    [Column("reason")] public string? Reason { get; set; }
    [Column("requested_by"), NotNull] public string RequestedBy { get; set; } = "";
    [Column("requested_at")] public DateTimeOffset RequestedAt { get; set; }
    [Column("claimed_until")] public DateTimeOffset? ClaimedUntil { get; set; }
    [Column("finished_at")] public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>A "generate now" request as the Reports page shows it, with the stored files once it is done.</summary>
public sealed record ReportRunView(long Id, string Kind, string Title, DateOnly PeriodStart, DateOnly PeriodEnd, string Status, string? Step, int FormatsDone, int FormatsTotal, string? Reason, IReadOnlyList<StoredReport> Files)
{
    public bool Finished => Status is ReportRunStatus.Done or ReportRunStatus.Failed;
}

/// <summary>
/// "Generate now": the page queues a run and returns at once; the host's <see cref="ReportRunner"/> renders it in the
/// background, recording which format it is on, and done or failed with the reason. The page polls the run.
/// </summary>
public sealed class ReportRuns(MpmDb db, ReportArchive archive, ReportRunSignal signal, TimeProvider clock)
{
    /// <summary>How long a runner holds a run; a host that stops mid-run leaves it to be taken again after this.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(10);

    public async Task<long> QueueAsync(string kind, ReportPeriod period, string requestedBy, CancellationToken cancellationToken = default)
    {
        var id = await db.InsertWithInt64IdentityAsync(
            new ReportRunRecord { Kind = kind, PeriodStart = period.Start, PeriodEnd = period.End, RequestedBy = requestedBy, RequestedAt = clock.GetUtcNow() },
            token: cancellationToken);
        signal.Notify();
        return id;
    }

    public async Task<ReportRunView?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var run = await db.GetTable<ReportRunRecord>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var files = run.Status == ReportRunStatus.Done
            ? (await archive.ListAsync(cancellationToken)).Where(f => f.Kind == run.Kind && f.PeriodStart == run.PeriodStart).ToList()
            : [];
        var title = ReportKinds.All.Contains(run.Kind) ? ReportKinds.Title(run.Kind) : run.Kind;
        return new ReportRunView(run.Id, run.Kind, title, run.PeriodStart, run.PeriodEnd, run.Status, run.Step, run.FormatsDone, run.FormatsTotal, run.Reason, files);
    }

    /// <summary>Claims the oldest queued run (or one whose runner stopped) and renders it; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claimed = await db.QueryToListAsync<ReportRunRecord>(
            """
            UPDATE mpm.report_runs SET status = 'running', claimed_until = @until, step = 'starting'
            WHERE id = (
                SELECT id FROM mpm.report_runs
                WHERE status = 'queued' OR (status = 'running' AND claimed_until < @now)
                ORDER BY id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """,
            cancellationToken,
            new DataParameter("until", now + ClaimFor),
            new DataParameter("now", now));
        if (claimed.Count == 0)
        {
            return false;
        }

        var run = claimed[0];
        try
        {
            var formats = archive.Formats();
            if (formats.Count == 0)
            {
                throw new InvalidOperationException("no report pack is active: enable reports-pdf or reports-xlsx");
            }

            await UpdateAsync(run.Id, r => r.Set(x => x.FormatsTotal, formats.Count), cancellationToken);
            await archive.GenerateAsync(
                run.Kind,
                new ReportPeriod(run.PeriodStart, run.PeriodEnd),
                run.RequestedBy,
                (format, done) => UpdateAsync(run.Id, r => r.Set(x => x.Step, done < formats.Count ? $"rendering {format.Name.ToUpperInvariant()}" : "stored").Set(x => x.FormatsDone, done), cancellationToken),
                cancellationToken);
            await UpdateAsync(run.Id, r => r.Set(x => x.Status, ReportRunStatus.Done).Set(x => x.Step, (string?)null).Set(x => x.FinishedAt, clock.GetUtcNow()), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await UpdateAsync(run.Id, r => r.Set(x => x.Status, ReportRunStatus.Failed).Set(x => x.Step, (string?)null).Set(x => x.Reason, e.Message).Set(x => x.FinishedAt, clock.GetUtcNow()), CancellationToken.None);
        }

        return true;
    }

    private Task<int> UpdateAsync(long id, Func<IQueryable<ReportRunRecord>, LinqToDB.Linq.IUpdatable<ReportRunRecord>> set, CancellationToken cancellationToken) =>
        set(db.GetTable<ReportRunRecord>().Where(r => r.Id == id)).UpdateAsync(cancellationToken);
}

/// <summary>Wakes the report runner when a run was queued on this host (runs queued elsewhere are found by polling).</summary>
public sealed class ReportRunSignal
{
    private readonly PipelineSignal _signal = new();

    public void Notify() => _signal.Notify();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>The background loop that renders queued report runs, one at a time.</summary>
public sealed class ReportRunner(IServiceScopeFactory scopes, ReportRunSignal signal, ILogger<ReportRunner> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                bool ran;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    ran = await scope.ServiceProvider.GetRequiredService<ReportRuns>().RunNextAsync(stoppingToken);
                }

                if (!ran)
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database not ready yet or restarting: the run stays queued.
                logger.LogError(e, "The report runner failed; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
