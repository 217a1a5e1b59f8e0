using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>
/// The background loops of this host: payment processing, provider callbacks and SMS sending. Each loop claims a batch
/// from PostgreSQL, handles it, and sleeps until woken by new work or a short poll.
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
        var loops = Enumerable.Range(0, workers).Select(_ => LoopAsync("payments", "transactions", "status IN ('received', 'processing')", ProcessPaymentAsync, stoppingToken))
            .Append(LoopAsync("provider outbox", "provider_outbox", "status = 'pending'", DeliverOutcomeAsync, stoppingToken))
            .Append(LoopAsync("sms", "sms_messages", "status = 'queued'", SendSmsAsync, stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(string name, string table, string pending, Func<IServiceProvider, long, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                List<long> ids;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    ids = await WorkClaims.ClaimAsync(scope.ServiceProvider.GetRequiredService<MpmDb>(), table, pending, 16, clock.GetUtcNow(), ClaimFor, stoppingToken);
                }

                foreach (var id in ids)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    using var _ = logger.BeginScope(new Dictionary<string, object> { [table == "transactions" ? "TransactionId" : $"{table}_id"] = id });
                    await handle(scope.ServiceProvider, id, stoppingToken);
                }

                if (ids.Count == 0)
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

    private static Task ProcessPaymentAsync(IServiceProvider services, long id, CancellationToken cancellationToken) =>
        services.GetRequiredService<PaymentProcessor>().ProcessAsync(id, cancellationToken);

    private static Task DeliverOutcomeAsync(IServiceProvider services, long id, CancellationToken cancellationToken) =>
        services.GetRequiredService<ProviderOutbox>().DeliverAsync(id, cancellationToken);

    private static Task SendSmsAsync(IServiceProvider services, long id, CancellationToken cancellationToken) =>
        services.GetRequiredService<SmsSender>().SendAsync(id, cancellationToken);
}
