using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.AccessRates;
using MPM.Web.Jobs;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Demo;

/// <summary>Demo meters to hang access-rate accounts on; each test sets the accounts it needs.</summary>
public sealed class AccrualDatabase : IAsyncLifetime
{
    public DemoTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await DemoTestHost.StartAsync();
        var (code, _, error) = await Host.RunAsync("demo", "seed", "--customers", "80");
        Assert.True(code == 0, error);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class AccessRateAccrualTests(AccrualDatabase fixture) : IClassFixture<AccrualDatabase>
{
    // 09:00 UTC is noon in Dar es Salaam: the operator's date is the UTC date.
    private static readonly DateTimeOffset Morning = new(2030, 6, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2030, 6, 15);

    private Database Database => fixture.Host.Services.GetRequiredService<Database>();

    [Fact]
    public async Task The_set_based_update_gives_what_the_domain_rule_gives_on_varied_accounts()
    {
        var accounts = await SetVariedAccountsAsync(seed: 42);

        await RunJobAsync(Morning);

        AssertAccruedOnce(accounts, Today, await ReadAccountsAsync());
    }

    [Fact]
    public async Task Due_yesterday_accrues_one_period_three_missed_periods_accrue_three_and_not_yet_due_nothing()
    {
        var ids = await ResetAccountsAsync();
        await SetAsync(ids[0], periodDays: 7, amount: 1000m, debt: 0m, nextDue: Today.AddDays(-1));
        await SetAsync(ids[1], periodDays: 7, amount: 1000m, debt: 500m, nextDue: Today.AddDays(-20)); // due -20, -13, -6
        await SetAsync(ids[2], periodDays: 7, amount: 1000m, debt: 0m, nextDue: Today.AddDays(1));
        await SetAsync(ids[3], periodDays: 30, amount: 5000m, debt: 0m, nextDue: Today);

        await RunJobAsync(Morning);

        var after = (await ReadAccountsAsync()).ToDictionary(a => a.MeterId);
        Assert.Equal((Today.AddDays(6), 1000m), (after[ids[0]].NextDue, after[ids[0]].Debt));
        Assert.Equal((Today.AddDays(1), 3500m), (after[ids[1]].NextDue, after[ids[1]].Debt));
        Assert.Equal((Today.AddDays(1), 0m), (after[ids[2]].NextDue, after[ids[2]].Debt));
        Assert.Equal((Today.AddDays(30), 5000m), (after[ids[3]].NextDue, after[ids[3]].Debt));
        Assert.All(ids.Skip(4), id => Assert.Equal((Today.AddDays(100), 0m), (after[id].NextDue, after[id].Debt)));
    }

    [Fact]
    public async Task A_second_run_the_same_day_changes_nothing_and_the_next_day_accrues_what_fell_due()
    {
        var accounts = await SetVariedAccountsAsync(seed: 7);
        await RunJobAsync(Morning);
        var afterFirst = await ReadAccountsAsync();

        await RunJobAsync(Morning.AddHours(10));

        Assert.Equal(Rows(afterFirst), Rows(await ReadAccountsAsync()));

        await RunJobAsync(Morning.AddDays(1));

        AssertAccruedOnce(accounts, Today.AddDays(1), await ReadAccountsAsync());
    }

    [Fact]
    public async Task Two_runners_at_once_accrue_each_period_once()
    {
        for (var round = 0; round < 3; round++)
        {
            var accounts = await SetVariedAccountsAsync(seed: 100 + round);
            await using var services = JobServices(Morning);

            await Task.WhenAll(Runner(services).Invoke(), Runner(services).Invoke());

            AssertAccruedOnce(accounts, Today, await ReadAccountsAsync());
        }
    }

    [Fact]
    public async Task A_runner_skips_the_round_while_another_host_holds_the_jobs_lock()
    {
        var accounts = await SetVariedAccountsAsync(seed: 3);
        await using var services = JobServices(Morning);
        var lockKey = new JobSchedule(JobSchedule.Core, typeof(AccessRateAccrualJob), AccessRateAccrualJob.Cron).LockKey;
        await using (var otherHost = await Database.DataSource.OpenConnectionAsync())
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", otherHost);
            take.Parameters.Add(new() { Value = lockKey });
            await take.ExecuteNonQueryAsync();

            await Runner(services).Invoke();

            Assert.Equal(Rows(accounts), Rows(await ReadAccountsAsync()));
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", otherHost);
            release.Parameters.Add(new() { Value = lockKey });
            await release.ExecuteNonQueryAsync();
        }

        await Runner(services).Invoke();

        AssertAccruedOnce(accounts, Today, await ReadAccountsAsync());
    }

    [Fact]
    public async Task Today_is_the_date_in_the_operators_time_zone()
    {
        // 22:30 UTC on the 14th: already the 15th in Dar es Salaam (UTC+3), still the 14th in New York.
        var lateEvening = new DateTimeOffset(2030, 6, 14, 22, 30, 0, TimeSpan.Zero);
        var ids = await ResetAccountsAsync();
        await SetAsync(ids[0], periodDays: 7, amount: 1000m, debt: 0m, nextDue: Today);

        await RunJobAsync(lateEvening);

        Assert.Equal(1000m, (await ReadAccountsAsync()).Single(a => a.MeterId == ids[0]).Debt);

        await SetAsync(ids[0], periodDays: 7, amount: 1000m, debt: 0m, nextDue: Today);
        await SetTimeZoneAsync("America/New_York");
        try
        {
            await RunJobAsync(lateEvening);
        }
        finally
        {
            await SetTimeZoneAsync("Africa/Dar_es_Salaam");
        }

        Assert.Equal(0m, (await ReadAccountsAsync()).Single(a => a.MeterId == ids[0]).Debt);
    }

    private static void AssertAccruedOnce(IReadOnlyList<AccessRateAccountRecord> before, DateOnly today, IReadOnlyList<AccessRateAccountRecord> after)
    {
        var expected = before.Select(a =>
        {
            var (state, _) = AccessRate.Accrue(new AccessRateState(a.NextDue, a.Debt), a.Amount, a.PeriodDays, today);
            return (a.MeterId, state.NextDue, state.Debt);
        });
        Assert.Equal(expected, Rows(after));
        Assert.Contains(before, a => a.NextDue <= today);
        Assert.Contains(before, a => a.NextDue > today);
    }

    private static IEnumerable<(long, DateOnly, decimal)> Rows(IEnumerable<AccessRateAccountRecord> accounts) =>
        accounts.Select(a => (a.MeterId, a.NextDue, a.Debt));

    /// <summary>Every account gets a period, an amount, a debt and a due date: half of them overdue (up to 400 days), half not yet due.</summary>
    private async Task<IReadOnlyList<AccessRateAccountRecord>> SetVariedAccountsAsync(int seed)
    {
        var random = new Random(seed);
        int[] periods = [1, 3, 7, 14, 30, 31];
        decimal[] amounts = [500m, 1000m, 1234.56m, 5000m];
        decimal[] debts = [0m, 150.50m, 10000m];
        foreach (var id in await ResetAccountsAsync())
        {
            await SetAsync(id, periods[random.Next(periods.Length)], amounts[random.Next(amounts.Length)], debts[random.Next(debts.Length)], Today.AddDays(random.Next(2) == 0 ? random.Next(-400, 1) : random.Next(1, 31)));
        }

        return await ReadAccountsAsync();
    }

    /// <summary>Every account not due for a long while, nothing owed; the meter ids in order.</summary>
    private async Task<List<long>> ResetAccountsAsync()
    {
        await using var db = Database.Connect();
        await db.AccessRateAccounts.Set(a => a.NextDue, Today.AddDays(100)).Set(a => a.Debt, 0m).UpdateAsync();
        return await db.AccessRateAccounts.OrderBy(a => a.MeterId).Select(a => a.MeterId).ToListAsync();
    }

    private async Task SetAsync(long meterId, int periodDays, decimal amount, decimal debt, DateOnly nextDue)
    {
        await using var db = Database.Connect();
        await db.AccessRateAccounts.Where(a => a.MeterId == meterId)
            .Set(a => a.PeriodDays, periodDays).Set(a => a.Amount, amount).Set(a => a.Debt, debt).Set(a => a.NextDue, nextDue)
            .UpdateAsync();
    }

    private async Task<List<AccessRateAccountRecord>> ReadAccountsAsync()
    {
        await using var db = Database.Connect();
        return await db.AccessRateAccounts.OrderBy(a => a.MeterId).ToListAsync();
    }

    private async Task SetTimeZoneAsync(string zone)
    {
        await using var db = Database.Connect();
        await db.OperatorSettings.Where(s => s.Key == "operator.timezone").Set(s => s.Value, zone).UpdateAsync();
    }

    private async Task RunJobAsync(DateTimeOffset at)
    {
        await using var db = Database.Connect();
        await new AccessRateAccrualJob(db, new FixedClock(at), NullLogger<AccessRateAccrualJob>.Instance).RunAsync(CancellationToken.None);
    }

    /// <summary>What a host's scheduler resolves the job from, with the clock stopped at <paramref name="at"/>.</summary>
    private ServiceProvider JobServices(DateTimeOffset at) => new ServiceCollection()
        .AddSingleton<TimeProvider>(new FixedClock(at))
        .AddScoped(_ => Database.Connect())
        .AddTransient<AccessRateAccrualJob>()
        .AddLogging()
        .BuildServiceProvider();

    private ScheduledJobInvocable Runner(IServiceProvider services) => new(
        new JobSchedule(JobSchedule.Core, typeof(AccessRateAccrualJob), AccessRateAccrualJob.Cron),
        services,
        Database,
        NullLogger<ScheduledJobInvocable>.Instance);
}
