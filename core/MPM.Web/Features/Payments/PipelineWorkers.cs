using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>
/// The background loops of this host: payment processing, provider callbacks and SMS sending. Each loop claims a batch
/// from PostgreSQL, handles it as a batch, wakes the other loops for the work it made, and sleeps until woken by new
/// work or a short poll. Stopping gracefully, it lets the loops end, then releases this host's unfinished claims
/// (<see cref="PipelineClaims"/>) so that another host takes that work at once rather than after the lease.
/// </summary>
public sealed class PipelineWorkers(IServiceScopeFactory scopes, PipelineSignal signal, PipelineClaims claims, TimeProvider clock, IConfiguration configuration, ILogger<PipelineWorkers> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is not { IsCompleted: true })
        {
            // The shutdown timeout came first: a batch may still be running, its claims must stand.
            logger.LogWarning("The pipeline loops did not end in time; this host's claims expire after {Lease}", claims.Lease);
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var released = await claims.ReleaseAsync(scope.ServiceProvider.GetRequiredService<MpmDb>(), cancellationToken);
            if (released > 0)
            {
                logger.LogInformation("Stopping: released {Count} unfinished pipeline claims of this host to other hosts", released);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Stopping: could not release this host's pipeline claims; they expire after {Lease}", claims.Lease);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Pipeline:Enabled", true))
        {
            return Task.CompletedTask;
        }

        var workers = configuration.GetValue("Pipeline:Workers", 4);
        var loops = Enumerable.Range(0, workers).Select(_ => LoopAsync("payments", ProcessPaymentsAsync, stoppingToken))
            .Append(LoopAsync("provider outbox", DeliverOutcomesAsync, stoppingToken))
            .Append(LoopAsync("sms", SendSmsAsync, stoppingToken));
        return Task.WhenAll(loops);
    }

    /// <param name="work">Claims and handles one batch; returns how many rows it handled.</param>
    private async Task LoopAsync(string name, Func<IServiceProvider, CancellationToken, Task<int>> work, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int handled;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    handled = await work(scope.ServiceProvider, stoppingToken);
                }

                if (handled > 0)
                {
                    signal.Notify();
                }
                else
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
                // The database being down or restarting: the work stays claimed or pending and is picked up again.
                logger.LogError(e, "The {Loop} loop failed; retrying", name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static Task<int> ProcessPaymentsAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<PaymentProcessor>().ProcessNextAsync(cancellationToken);

    private Task<int> DeliverOutcomesAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        ClaimThenAsync(services, "provider_outbox", "status = 'pending'", services.GetRequiredService<ProviderOutbox>().DeliverAsync, cancellationToken);

    private Task<int> SendSmsAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        ClaimThenAsync(services, "sms_messages", "status = 'queued'", services.GetRequiredService<SmsSender>().SendAsync, cancellationToken);

    private async Task<int> ClaimThenAsync(IServiceProvider services, string table, string pending, Func<IReadOnlyList<long>, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        var ids = await WorkClaims.ClaimAsync(services.GetRequiredService<MpmDb>(), table, pending, PaymentProcessor.BatchSize, clock.GetUtcNow(), claims.Lease, cancellationToken, claims.Host);
        if (ids.Count > 0)
        {
            await handle(ids, cancellationToken);
        }

        return ids.Count;
    }
}
