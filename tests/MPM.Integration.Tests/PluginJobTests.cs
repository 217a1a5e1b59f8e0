using MPM.Web.Jobs;
using Microsoft.Extensions.DependencyInjection;
using MPM.Integration.Tests.Support;
using MPM.Web.Plugins;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>A plugin's scheduled job as the scheduler runs it: under an advisory lock, once across hosts.</summary>
public sealed class PluginJobTests(FixturePluginsHost host) : IClassFixture<FixturePluginsHost>
{
    private JobSchedule Job => Assert.Single(host.Factory.Services.GetRequiredService<PluginHost>().Find(FixturePlugins.Good)!.Jobs);

    /// <summary>The invocable as Coravel makes it for a schedule: from the host's services, with the job as its parameter.</summary>
    private ScheduledJobInvocable Invocable() => ActivatorUtilities.CreateInstance<ScheduledJobInvocable>(host.Factory.Services, Job);

    /// <summary>The advisory lock every host takes for this job (named by owner and job type).</summary>
    private const string LockKey = $"job:{FixturePlugins.Good}:MPM.Fixtures.Good.CountingJob";

    private Task<long> HitsAsync() => host.ScalarAsync<long>("SELECT count(*) FROM plg_fixture_good.hits");

    [Fact]
    public void TheJobIsDeclaredWithItsSchedule()
    {
        Assert.Equal("MPM.Fixtures.Good.CountingJob", Job.JobType.FullName);
        Assert.Equal("* * * * *", Job.Cron);
        Assert.Equal(FixturePlugins.Good, Job.Owner);
    }

    [Fact]
    public async Task InvokingRunsTheJobWhichWritesToThePluginsTable()
    {
        var before = await HitsAsync();

        await Invocable().Invoke();

        Assert.True(await HitsAsync() > before, "the job inserted no row");
    }

    [Fact]
    public async Task InvokingSkipsWhileAnotherHostHoldsTheJobsLock()
    {
        await using var otherHost = new NpgsqlConnection(host.Database.ConnectionString);
        await otherHost.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", otherHost))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            await take.ExecuteNonQueryAsync();
        }

        var before = await HitsAsync();
        await Invocable().Invoke();
        Assert.Equal(before, await HitsAsync());

        // Once the other host lets go, the job runs again.
        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", otherHost))
        {
            await release.ExecuteNonQueryAsync();
        }

        await Invocable().Invoke();
        Assert.True(await HitsAsync() > before, "the job did not run after the lock was released");
    }
}
