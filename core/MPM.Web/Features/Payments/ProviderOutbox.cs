using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Sdk.Payments;

namespace MPM.Web.Features.Payments;

/// <summary>Tells provider plugins the outcome of their payments (e.g. Vodacom's result call, Airtel's rollback), retrying until each is delivered.</summary>
public sealed class ProviderOutbox(MpmDb db, IServiceProvider services, TimeProvider clock, IConfiguration configuration, ILogger<ProviderOutbox> logger)
{
    private int MaxAttempts => configuration.GetValue("Pipeline:MaxOutcomeAttempts", 50);

    public async Task DeliverAsync(IReadOnlyList<long> outboxIds, CancellationToken cancellationToken)
    {
        var rows = await (
            from o in db.ProviderOutbox
            join t in db.Transactions on o.TransactionId equals t.Id
            where outboxIds.Contains(o.Id) && o.Status == "pending"
            orderby o.Id
            select new { Outbox = o, Payment = t }).ToListAsync(cancellationToken);
        var results = new List<(ProviderOutboxRecord Outbox, OutcomeDelivery Delivery)>();
        foreach (var row in rows)
        {
            // The provider plugin's own lines (and its HTTP client's) carry the transaction id through this scope.
            using var logScope = PipelineLog.ForPayment(logger, row.Payment.Id);
            results.Add((row.Outbox, await TellAsync(row.Payment, cancellationToken)));
            if (!results[^1].Delivery.Delivered)
            {
                logger.LogWarning("Payment {TransactionId}: telling {Provider} the outcome failed (attempt {Attempt}): {Response}",
                    row.Payment.Id, row.Payment.Provider, row.Outbox.Attempts + 1, results[^1].Delivery.Response);
            }
            else
            {
                logger.LogInformation("Payment {TransactionId}: {Provider} told the outcome: {Response}", row.Payment.Id, row.Payment.Provider, results[^1].Delivery.Response);
            }
        }

        if (results.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var updates = results.Select(r =>
        {
            var attempts = r.Outbox.Attempts + 1;
            var status = r.Delivery.Delivered ? "delivered" : attempts >= MaxAttempts ? "failed" : "pending";
            return (r.Outbox.Id, r.Outbox.TransactionId, Status: status, Attempts: attempts, r.Delivery.Response, Next: now + RetryBackoff.Exponential(TimeSpan.FromSeconds(2), attempts, TimeSpan.FromMinutes(10)));
        }).ToList();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.ExecuteAsync("""
            UPDATE mpm.provider_outbox o SET status = u.status, attempts = u.attempts, response = u.response, next_attempt_at = u.next_attempt_at,
                claimed_until = NULL, completed_at = CASE WHEN u.status = 'pending' THEN NULL ELSE @now END
            FROM unnest(@ids, @statuses, @attempts, @responses, @next) AS u(id, status, attempts, response, next_attempt_at) WHERE o.id = u.id
            """, cancellationToken,
            new DataParameter("now", now), new DataParameter("ids", updates.Select(u => u.Id).ToArray()), new DataParameter("statuses", updates.Select(u => u.Status).ToArray()),
            new DataParameter("attempts", updates.Select(u => u.Attempts).ToArray()), new DataParameter("responses", updates.Select(u => u.Response).ToArray()),
            new DataParameter("next", updates.Select(u => u.Next).ToArray()));
        await db.InsertRowsAsync(
            updates.Select(u => new TransactionEventRecord { TransactionId = u.TransactionId, At = now, Event = $"provider-{u.Status}", Details = u.Response }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<OutcomeDelivery> TellAsync(TransactionRecord payment, CancellationToken cancellationToken)
    {
        if (services.GetKeyedService<IPaymentProvider>(payment.Provider) is not { } provider)
        {
            return new OutcomeDelivery(true, $"not sent: no payment provider plugin '{payment.Provider}' to tell");
        }

        try
        {
            return await provider.ReportOutcomeAsync(
                new PaymentOutcome(payment.Id, payment.ProviderReference, payment.Status == TransactionStatus.Confirmed, payment.Reason, payment.RawData), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new OutcomeDelivery(false, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
