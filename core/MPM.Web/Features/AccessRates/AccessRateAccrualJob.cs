using LinqToDB.Data;
using MPM.Data;
using MPM.Sdk;
using MPM.Web.Settings;

namespace MPM.Web.Features.AccessRates;

/// <summary>
/// Adds the access-rate fee of every period that has fallen due (the rule of <see cref="MPM.Core.Domain.AccessRate.Accrue"/>),
/// set-based, a batch of accounts per UPDATE. Idempotent: an accrued account's next due date is after today, so a second
/// run on the same day finds nothing; the host runs it under an advisory lock (daily and once at start-up).
/// </summary>
public sealed class AccessRateAccrualJob(MpmDb db, TimeProvider clock, ILogger<AccessRateAccrualJob> logger) : IScheduledJob
{
    public const string Cron = "10 0 * * *";
    public const int BatchSize = 10_000;

    // periods = how many due dates lie in [next_due, today]; the recheck of next_due <= today on the row being updated
    // keeps a concurrent run from accruing a period twice.
    private const string AccrueBatch = """
        WITH accrued AS (
            UPDATE mpm.access_rate_accounts a
            SET debt = a.debt + a.amount * due.periods,
                next_due = a.next_due + due.periods * a.period_days
            FROM (SELECT meter_id, (@today - next_due) / period_days + 1 AS periods
                  FROM mpm.access_rate_accounts
                  WHERE next_due <= @today
                  LIMIT @batch) due
            WHERE a.meter_id = due.meter_id AND a.next_due <= @today
            RETURNING due.periods)
        SELECT count(*)::int, coalesce(sum(periods), 0)::bigint FROM accrued
        """;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = await OperatorClock.TodayAsync(db, clock, cancellationToken);
        var (accounts, periods) = (0, 0L);
        while (true)
        {
            var batch = (await db.QueryToArrayAsync(
                r => (Accounts: r.GetInt32(0), Periods: r.GetInt64(1)),
                AccrueBatch,
                cancellationToken,
                new DataParameter("today", today, LinqToDB.DataType.Date),
                new DataParameter("batch", BatchSize))).Single();
            if (batch.Accounts == 0)
            {
                break;
            }

            accounts += batch.Accounts;
            periods += batch.Periods;
        }

        logger.LogInformation("Access-rate accrual for {Today:yyyy-MM-dd}: {Accounts} account(s), {Periods} period(s) accrued", today, accounts, periods);
    }
}
