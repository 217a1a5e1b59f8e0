using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Sdk.Tokens;
using MPM.Web.Features.Operator;
using MPM.Web.Settings;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Processes one stored payment in two durable steps. Allocation: in one database transaction with the payer's debts
/// locked, overdue asset rates, then access-rate debt, then energy (DOMAIN.md), every allocation recorded. Token: the
/// manufacturer's token generator makes it (generators return the same token when asked again for a transaction, so a
/// retry after a crash never makes a second one), then the payment is confirmed. A permanent failure cancels the
/// payment and reverses its allocations with compensating entries. Every outcome queues the provider callback and the
/// payer's SMS in the same transaction.
/// </summary>
public sealed class PaymentProcessor(MpmDb db, PluginSettingsStore settings, IServiceProvider services, OperatorProfile profile, TimeProvider clock, IConfiguration configuration, ILogger<PaymentProcessor> logger)
{
    private int MaxTokenAttempts => configuration.GetValue("Pipeline:MaxTokenAttempts", 8);

    /// <summary>The first retry's delay; each further one doubles it, up to 5 minutes.</summary>
    private TimeSpan RetryDelay => configuration.GetValue("Pipeline:RetryDelay", TimeSpan.FromSeconds(2));

    public async Task ProcessAsync(long transactionId, CancellationToken cancellationToken)
    {
        var status = await db.Transactions.Where(t => t.Id == transactionId).Select(t => t.Status).FirstOrDefaultAsync(cancellationToken);
        if (status == TransactionStatus.Received)
        {
            status = await AllocateAsync(transactionId, cancellationToken);
        }

        if (status == TransactionStatus.Processing)
        {
            await IssueTokenAsync(transactionId, cancellationToken);
        }
    }

    private async Task<string?> AllocateAsync(long transactionId, CancellationToken cancellationToken)
    {
        var today = await profile.TodayAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var payment = await LockAsync(transactionId, TransactionStatus.Received, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        var tariff = await (from m in db.Meters join t in db.Tariffs on m.TariffId equals t.Id where m.Id == payment.MeterId select t).FirstAsync(cancellationToken);
        var components = await db.TariffComponents.Where(c => c.TariffId == tariff.Id).Select(c => c.PricePerKWh).ToListAsync(cancellationToken);
        var account = (await db.QueryToListAsync<AccessRateAccountRecord>(
            "SELECT * FROM mpm.access_rate_accounts WHERE meter_id = @meterId FOR UPDATE", cancellationToken, new DataParameter("meterId", payment.MeterId))).FirstOrDefault();
        var overdue = await db.QueryToListAsync<OverdueRateRow>("""
            SELECT r.id, r.due_date, r.amount - r.paid AS remaining, a.name AS asset_name
            FROM mpm.asset_rates r JOIN mpm.asset_sales s ON s.id = r.asset_sale_id JOIN mpm.asset_types a ON a.id = s.asset_type_id
            WHERE s.customer_id = @customerId AND r.paid < r.amount AND r.due_date < @today
            ORDER BY r.due_date, r.id
            FOR UPDATE OF r
            """, cancellationToken, new DataParameter("customerId", payment.CustomerId), new DataParameter("today", today, DataType.Date));

        var result = PaymentAllocation.Allocate(
            payment.Amount,
            Tariffs.TotalPricePerKWh(tariff.PricePerKWh, components),
            tariff.MinimumPurchase,
            overdue.Select(r => new OverdueRate(r.Id, r.DueDate, r.Remaining, r.AssetName)),
            account?.Debt ?? 0m);
        var now = clock.GetUtcNow();
        if (result.Cancelled)
        {
            await FinishAsync(payment, TransactionStatus.Cancelled, result.CancelReason, null, [], now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TransactionStatus.Cancelled;
        }

        var recorded = new List<AllocationRecord>();
        foreach (var allocation in result.Allocations)
        {
            var record = new AllocationRecord
            {
                TransactionId = payment.Id,
                Type = TypeName(allocation.Type),
                Amount = allocation.Amount,
                AssetRateId = allocation.RateId,
                Description = allocation.Description,
                CreatedAt = now,
            };
            record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            recorded.Add(record);
            await ApplyToDebtAsync(payment.MeterId, record, allocation.Amount, cancellationToken);
        }

        await db.Transactions.Where(t => t.Id == payment.Id).Set(t => t.EnergyKWh, result.EnergyKWh).UpdateAsync(cancellationToken);
        payment.EnergyKWh = result.EnergyKWh;
        if (result.EnergyKWh == 0)
        {
            await FinishAsync(payment, TransactionStatus.Confirmed, null, null, recorded, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TransactionStatus.Confirmed;
        }

        await db.Transactions.Where(t => t.Id == payment.Id).Set(t => t.Status, TransactionStatus.Processing).UpdateAsync(cancellationToken);
        await EventAsync(payment.Id, now, "allocated", string.Join("; ", recorded.Select(a => $"{a.Type} {a.Amount}")), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TransactionStatus.Processing;
    }

    private async Task IssueTokenAsync(long transactionId, CancellationToken cancellationToken)
    {
        var payment = await db.Transactions.FirstAsync(t => t.Id == transactionId, cancellationToken);
        var manufacturer = await (from m in db.Meters join f in db.Manufacturers on m.ManufacturerId equals f.Id where m.Id == payment.MeterId select f).FirstAsync(cancellationToken);
        GeneratedToken token;
        try
        {
            var generator = services.GetKeyedService<ITokenGenerator>(manufacturer.TokenGenerator)
                ?? throw new TokenGenerationException($"the token generator plugin '{manufacturer.TokenGenerator}' of {manufacturer.Name} is not active", transient: true);
            var values = await settings.GetForManufacturerAsync(manufacturer.TokenGenerator, manufacturer.Id, cancellationToken);
            token = await generator.GenerateCreditAsync(new CreditTokenRequest(payment.Id, payment.MeterSerial, payment.EnergyKWh!.Value, values), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var permanent = e is TokenGenerationException { Transient: false };
            var attempts = payment.Attempts + 1;
            logger.LogWarning("Payment {TransactionId}: token attempt {Attempt} failed: {Error}", payment.Id, attempts, e.Message);
            if (permanent || attempts >= MaxTokenAttempts)
            {
                var reason = permanent ? $"token could not be made: {e.Message}" : $"token generator unavailable after {attempts} attempts: {e.Message}";
                await CancelWithReversalAsync(payment.Id, reason, cancellationToken);
            }
            else
            {
                await ScheduleRetryAsync(payment.Id, attempts, e.Message, cancellationToken);
            }

            return;
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var locked = await LockAsync(transactionId, TransactionStatus.Processing, cancellationToken);
        if (locked is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var record = new TokenRecord { TransactionId = locked.Id, MeterId = locked.MeterId, Value = token.Value, Kind = token.Kind, Amount = token.Amount, Unit = token.Unit, CreatedAt = now };
        await db.InsertAsync(record, token: cancellationToken);
        var allocations = await db.Allocations.Where(a => a.TransactionId == locked.Id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        await FinishAsync(locked, TransactionStatus.Confirmed, null, record, allocations, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ScheduleRetryAsync(long transactionId, int attempts, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delay = TimeSpan.FromSeconds(Math.Min(300, RetryDelay.TotalSeconds * Math.Pow(2, attempts - 1)));
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.Transactions.Where(t => t.Id == transactionId && t.Status == TransactionStatus.Processing)
            .Set(t => t.Attempts, attempts).Set(t => t.NextAttemptAt, now + delay).Set(t => t.LastError, error).Set(t => t.ClaimedUntil, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken);
        await EventAsync(transactionId, now, "token-retry", $"attempt {attempts} failed ({error}); next in {delay.TotalSeconds:0} s", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Cancels an allocated payment: each allocation gets its negative twin and the debts it paid are owed again.</summary>
    public async Task CancelWithReversalAsync(long transactionId, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var payment = await LockAsync(transactionId, TransactionStatus.Processing, cancellationToken);
        if (payment is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var allocations = await db.Allocations.Where(a => a.TransactionId == transactionId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var reversals = new List<AllocationRecord>();
        foreach (var original in allocations.Where(a => a.ReversesId is null && allocations.All(r => r.ReversesId != a.Id)))
        {
            var reversal = new AllocationRecord
            {
                TransactionId = transactionId,
                Type = original.Type,
                Amount = -original.Amount,
                AssetRateId = original.AssetRateId,
                Description = $"reversal: {original.Description}",
                ReversesId = original.Id,
                CreatedAt = now,
            };
            reversal.Id = await db.InsertWithInt64IdentityAsync(reversal, token: cancellationToken);
            reversals.Add(reversal);
            await ApplyToDebtAsync(payment.MeterId, reversal, reversal.Amount, cancellationToken);
        }

        await FinishAsync(payment, TransactionStatus.Cancelled, reason, null, [], now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A positive amount pays a debt; a negative one (a reversal) makes it owed again.</summary>
    private async Task ApplyToDebtAsync(long meterId, AllocationRecord allocation, decimal amount, CancellationToken cancellationToken)
    {
        if (allocation.Type == "asset-rate")
        {
            await db.AssetRates.Where(r => r.Id == allocation.AssetRateId).Set(r => r.Paid, r => r.Paid + amount).UpdateAsync(cancellationToken);
        }
        else if (allocation.Type == "access-rate")
        {
            await db.AccessRateAccounts.Where(a => a.MeterId == meterId).Set(a => a.Debt, a => a.Debt - amount).UpdateAsync(cancellationToken);
        }
    }

    private async Task FinishAsync(TransactionRecord payment, string status, string? reason, TokenRecord? token, IReadOnlyList<AllocationRecord> allocations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Transactions.Where(t => t.Id == payment.Id)
            .Set(t => t.Status, status).Set(t => t.Reason, reason).Set(t => t.CompletedAt, now).Set(t => t.ClaimedUntil, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken);
        payment.Status = status;
        payment.Reason = reason;
        await EventAsync(payment.Id, now, status, reason ?? (token is null ? "no energy token" : $"token for {token.Amount} {token.Unit}"), cancellationToken);
        await db.InsertAsync(new ProviderOutboxRecord { TransactionId = payment.Id, Provider = payment.Provider, Status = "pending", NextAttemptAt = now, CreatedAt = now }, token: cancellationToken);
        var template = status == TransactionStatus.Cancelled ? SmsComposer.Cancelled : token is null ? SmsComposer.ConfirmedWithoutToken : SmsComposer.Confirmed;
        await SmsComposer.QueueAsync(db, payment, template, token, allocations, now, cancellationToken);
        logger.LogInformation("Payment {TransactionId} {Status}{Reason}", payment.Id, status, reason is null ? "" : $": {reason}");
    }

    private async Task<TransactionRecord?> LockAsync(long transactionId, string status, CancellationToken cancellationToken) =>
        (await db.QueryToListAsync<TransactionRecord>(
            "SELECT * FROM mpm.transactions WHERE id = @id AND status = @status FOR UPDATE SKIP LOCKED", cancellationToken,
            new DataParameter("id", transactionId), new DataParameter("status", status))).FirstOrDefault();

    private Task EventAsync(long transactionId, DateTimeOffset at, string name, string? details, CancellationToken cancellationToken) =>
        db.InsertAsync(new TransactionEventRecord { TransactionId = transactionId, At = at, Event = name, Details = details }, token: cancellationToken);

    public static string TypeName(AllocationType type) => type switch
    {
        AllocationType.AssetRate => "asset-rate",
        AllocationType.AccessRate => "access-rate",
        _ => "energy",
    };

    private sealed class OverdueRateRow
    {
        [LinqToDB.Mapping.Column("id")] public long Id { get; set; }
        [LinqToDB.Mapping.Column("due_date")] public DateOnly DueDate { get; set; }
        [LinqToDB.Mapping.Column("remaining")] public decimal Remaining { get; set; }
        [LinqToDB.Mapping.Column("asset_name")] public string AssetName { get; set; } = "";
    }
}
