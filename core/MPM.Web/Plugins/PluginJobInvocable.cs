using Coravel.Invocable;
using MPM.Data;
using MPM.Sdk;
using Npgsql;

namespace MPM.Web.Plugins;

/// <summary>
/// Runs one plugin job under a PostgreSQL advisory lock, so that with several hosts it runs once;
/// a host that does not get the lock skips this round.
/// </summary>
public sealed class PluginJobInvocable(PluginJob job, IServiceProvider services, Database database, ILogger<PluginJobInvocable> logger) : IInvocable
{
    public async Task Invoke()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lockKey = $"job:{job.PluginId}:{job.JobType.FullName}";
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection))
        {
            take.Parameters.Add(new() { Value = lockKey });
            if (!(bool)(await take.ExecuteScalarAsync())!)
            {
                logger.LogInformation("Job {Job} of {Plugin} is running on another host; skipped", job.JobType.Name, job.PluginId);
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
            logger.LogError(e, "Job {Job} of {Plugin} failed", job.JobType.Name, job.PluginId);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
            release.Parameters.Add(new() { Value = lockKey });
            await release.ExecuteScalarAsync();
        }
    }
}
