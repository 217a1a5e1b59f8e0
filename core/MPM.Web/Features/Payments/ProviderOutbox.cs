using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Payments;

namespace MPM.Web.Features.Payments;

/// <summary>Tells a provider plugin the outcome of its payment (e.g. Vodacom's result call, Airtel's rollback), retrying until it is delivered.</summary>
public sealed class ProviderOutbox(MpmDb db, IServiceProvider services, TimeProvider clock, IConfiguration configuration, ILogger<ProviderOutbox> logger)
{
    private int MaxAttempts => configuration.GetValue("Pipeline:MaxOutcomeAttempts", 50);

    public async Task DeliverAsync(long outboxId, CancellationToken cancellationToken)
    {
        var row = await db.ProviderOutbox.FirstAsync(o => o.Id == outboxId, cancellationToken);
        if (row.Status != "pending")
        {
            return;
        }

        var payment = await db.Transactions.FirstAsync(t => t.Id == row.TransactionId, cancellationToken);
        var provider = services.GetKeyedService<IPaymentProvider>(payment.Provider);
        OutcomeDelivery delivery;
        if (provider is null)
        {
            delivery = new OutcomeDelivery(true, $"not sent: no payment provider plugin '{payment.Provider}' to tell");
        }
        else
        {
            try
            {
                delivery = await provider.ReportOutcomeAsync(
                    new PaymentOutcome(payment.Id, payment.ProviderReference, payment.Status == TransactionStatus.Confirmed, payment.Reason, payment.RawData), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                delivery = new OutcomeDelivery(false, $"{e.GetType().Name}: {e.Message}");
            }
        }

        var now = clock.GetUtcNow();
        var attempts = row.Attempts + 1;
        var status = delivery.Delivered ? "delivered" : attempts >= MaxAttempts ? "failed" : "pending";
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.ProviderOutbox.Where(o => o.Id == outboxId)
            .Set(o => o.Status, status).Set(o => o.Attempts, attempts).Set(o => o.Response, delivery.Response)
            .Set(o => o.NextAttemptAt, now + TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, attempts))))
            .Set(o => o.ClaimedUntil, (DateTimeOffset?)null).Set(o => o.CompletedAt, status == "pending" ? null : now)
            .UpdateAsync(cancellationToken);
        await db.InsertAsync(new TransactionEventRecord { TransactionId = payment.Id, At = now, Event = $"provider-{status}", Details = delivery.Response }, token: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (!delivery.Delivered)
        {
            logger.LogWarning("Payment {TransactionId}: telling {Provider} the outcome failed (attempt {Attempt}): {Response}", payment.Id, payment.Provider, attempts, delivery.Response);
        }
    }
}
