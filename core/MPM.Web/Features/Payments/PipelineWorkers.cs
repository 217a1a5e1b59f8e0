using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>
/// The background loops of this host: payment processing, provider callbacks and SMS sending. Each loop claims a batch
/// from PostgreSQL, handles it as a batch, wakes the other loops for the work it made, and sleeps until woken by new
/// work or a short poll.
/// </summary>
public sealed class PipelineWorkers(IServiceScopeFactory scopes, PipelineSignal signal, TimeProvider clock, IConfiguration configuration, ILogger<PipelineWorkers> logger) : BackgroundService
{
    public static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);


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
        var ids = await WorkClaims.ClaimAsync(services.GetRequiredService<MpmDb>(), table, pending, PaymentProcessor.BatchSize, clock.GetUtcNow(), ClaimFor, cancellationToken);
        if (ids.Count > 0)
        {
            await handle(ids, cancellationToken);
        }

        return ids.Count;
    }
}
