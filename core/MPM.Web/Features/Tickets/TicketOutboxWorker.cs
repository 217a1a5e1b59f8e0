namespace MPM.Web.Features.Tickets;

/// <summary>
/// The background loop that delivers the ticket outbox (<see cref="TicketOutbox.ProcessDueAsync"/>), in the style of the
/// payment pipeline's loops: a batch per scope, then at once again when it handled something, else a wait for the signal
/// or the next poll. Off with Tickets:Worker=false (tests then drive <see cref="TicketOutbox"/> themselves).
/// </summary>
public sealed class TicketOutboxWorker(IServiceScopeFactory scopes, TicketOutboxSignal signal, TimeProvider clock, IConfiguration configuration, ILogger<TicketOutboxWorker> logger) : BackgroundService
{
    private TimeSpan Poll => configuration.GetValue("Tickets:Poll", TimeSpan.FromSeconds(1));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        configuration.GetValue("Tickets:Worker", true) ? RunAsync(stoppingToken) : Task.CompletedTask;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int handled;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    handled = await scope.ServiceProvider.GetRequiredService<TicketOutbox>().ProcessDueAsync(stoppingToken);
                }

                if (handled == 0)
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
                logger.LogError(e, "The ticket outbox loop failed; retrying");
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
}
