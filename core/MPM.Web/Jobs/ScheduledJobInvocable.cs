using Coravel.Invocable;
using MPM.Data;
using MPM.Sdk;
using Npgsql;

namespace MPM.Web.Jobs;

/// <summary>
/// A job on a cron schedule (UTC): a core job (owner <see cref="Core"/>) or a plugin's (owner = the plugin id).
/// <paramref name="RunAtStart"/> also runs it once shortly after the host starts.
/// </summary>
public sealed record JobSchedule(string Owner, Type JobType, string Cron, bool RunAtStart = false)
{
    public const string Core = "core";

    public string LockKey => $"job:{Owner}:{JobType.FullName}";
}

/// <summary>
/// Runs one <see cref="IScheduledJob"/> under a PostgreSQL advisory lock, so that with several hosts it runs once;
/// a host that does not get the lock skips this round.
/// </summary>
public sealed class ScheduledJobInvocable(JobSchedule job, IServiceProvider services, Database database, ILogger<ScheduledJobInvocable> logger) : IInvocable
{
    public async Task Invoke()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection))
        {
            take.Parameters.Add(new() { Value = job.LockKey });
            if (!(bool)(await take.ExecuteScalarAsync())!)
            {
                logger.LogInformation("Job {Job} of {Owner} is running on another host; skipped", job.JobType.Name, job.Owner);
                return;
            }
        }

        try
        {
            await using var scope = services.CreateAsyncScope();
            var instance = (IScheduledJob)scope.ServiceProvider.GetRequiredService(job.JobType);
            await instance.RunAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {Job} of {Owner} failed", job.JobType.Name, job.Owner);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
            release.Parameters.Add(new() { Value = job.LockKey });
            await release.ExecuteScalarAsync();
        }
    }
}
