using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Sdk.Tokens;
using MPM.Web.Features.Operator;
using MPM.Web.Settings;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Processes a claimed batch of stored payments in two durable steps, each one database transaction for the whole batch.
/// Allocation: with the payers' debts locked, overdue asset rates, then access-rate debt, then energy (DOMAIN.md),
/// payments of one payer in the order they arrived, every allocation recorded. Token: the manufacturer's token
/// generator makes it (generators return the same token when asked again for a transaction, so a retry after a crash
/// never makes a second one), then the payments are confirmed. A permanent failure cancels the payment and reverses its
/// allocations with compensating entries. Every outcome queues the provider callback and the payer's SMS in the same
/// transaction.
/// </summary>
public sealed class PaymentProcessor(MpmDb db, PipelineClaims claims, PluginSettingsStore settings, IServiceScopeFactory scopes, OperatorProfile profile, TimeProvider clock, IConfiguration configuration, ILogger<PaymentProcessor> logger)
{
    private int MaxTokenAttempts => configuration.GetValue("Pipeline:MaxTokenAttempts", 8);

    /// <summary>The first retry's delay; each further one doubles it, up to 5 minutes.</summary>
    private TimeSpan RetryDelay => configuration.GetValue("Pipeline:RetryDelay", TimeSpan.FromSeconds(2));

    private int TokenConcurrency => configuration.GetValue("Pipeline:TokenConcurrency", 8);

    /// <summary>Rows handled together: one database transaction per step for the whole batch.</summary>
    public const int BatchSize = 32;

    /// <summary>
    /// Allocates the next received payments, then makes the tokens of those and of payments whose token is due again
    /// (a retry, or a host that died before confirming). Returns how many payments it handled.
    /// </summary>
    public async Task<int> ProcessNextAsync(CancellationToken cancellationToken)
    {
        var allocated = await AllocateNextAsync(cancellationToken);
        var due = await WorkClaims.ClaimAsync(db, "transactions", "status = 'processing'", BatchSize, clock.GetUtcNow(), claims.Lease, cancellationToken, claims.Host);
        await IssueTokensAsync(allocated.Waiting.Concat(due).ToList(), cancellationToken);
        return allocated.Handled + due.Count;
    }

    /// <summary>
    /// Takes received payments with SKIP LOCKED (the row lock is the claim: a crash rolls it back and frees them) and
    /// allocates them. Returns how many it took and those now waiting for their token, claimed for this worker.
    /// </summary>
    private async Task<(int Handled, IReadOnlyList<long> Waiting)> AllocateNextAsync(CancellationToken cancellationToken)
    {
        var today = await profile.TodayAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var payments = (await db.QueryToListAsync<TransactionRecord>("""
            SELECT * FROM mpm.transactions WHERE status = 'received' AND next_attempt_at <= @now
            ORDER BY next_attempt_at, id LIMIT @count FOR UPDATE SKIP LOCKED
            """, cancellationToken, new DataParameter("now", now), new DataParameter("count", BatchSize))).OrderBy(p => p.Id).ToList();
        if (payments.Count == 0)
        {
            return (0, []);
        }

        var meterIds = payments.Select(p => p.MeterId).Distinct().ToArray();
        var tariffs = (await db.QueryToListAsync<MeterTariffRow>("""
            SELECT m.id AS meter_id, t.price_per_kwh, t.minimum_purchase,
                ARRAY(SELECT c.price_per_kwh FROM mpm.tariff_components c WHERE c.tariff_id = t.id) AS component_prices
            FROM mpm.meters m JOIN mpm.tariffs t ON t.id = m.tariff_id
            WHERE m.id = ANY(@meterIds)
            """, cancellationToken, new DataParameter("meterIds", meterIds))).ToDictionary(t => t.MeterId);
        var accessDebts = (await db.QueryToListAsync<AccessDebtRow>(
            "SELECT meter_id, debt FROM mpm.access_rate_accounts WHERE meter_id = ANY(@meterIds) ORDER BY meter_id FOR UPDATE", cancellationToken,
            new DataParameter("meterIds", meterIds))).ToDictionary(a => a.MeterId, a => a.Debt);
        var overdue = (await db.QueryToListAsync<OverdueRateRow>("""
            SELECT r.id, s.customer_id, r.due_date, r.amount - r.paid AS remaining, a.name AS asset_name
            FROM mpm.asset_rates r JOIN mpm.asset_sales s ON s.id = r.asset_sale_id JOIN mpm.asset_types a ON a.id = s.asset_type_id
            WHERE s.customer_id = ANY(@customerIds) AND r.paid < r.amount AND r.due_date < @today
            ORDER BY r.id
            FOR UPDATE OF r
            """, cancellationToken, new DataParameter("customerIds", payments.Select(p => p.CustomerId).Distinct().ToArray()),
            new DataParameter("today", today, DataType.Date))).ToLookup(r => r.CustomerId);

        var ledger = new List<AllocationRecord>();
        var allocated = new List<TransactionRecord>();
        var finished = new List<Outcome>();
        var ratePayments = new Dictionary<long, decimal>();
        var accessPayments = new Dictionary<long, decimal>();
        foreach (var payment in payments)
        {
            var tariff = tariffs[payment.MeterId];
            var result = PaymentAllocation.Allocate(
                payment.Amount,
                Tariffs.TotalPricePerKWh(tariff.PricePerKWh, tariff.ComponentPrices),
                tariff.MinimumPurchase,
                overdue[payment.CustomerId].Select(r => new OverdueRate(r.Id, r.DueDate, r.Remaining - ratePayments.GetValueOrDefault(r.Id), r.AssetName)),
                accessDebts.GetValueOrDefault(payment.MeterId) - accessPayments.GetValueOrDefault(payment.MeterId));
            if (result.Cancelled)
            {
                finished.Add(new Outcome(payment, TransactionStatus.Cancelled, result.CancelReason, null, []));
                continue;
            }

            var records = result.Allocations.Select(a => new AllocationRecord
            {
                TransactionId = payment.Id, Type = TypeName(a.Type), Amount = a.Amount, AssetRateId = a.RateId, Description = a.Description, CreatedAt = now,
            }).ToList();
            foreach (var record in records)
            {
                AddDebtPayment(record, payment.MeterId, record.Amount, ratePayments, accessPayments);
            }

            ledger.AddRange(records);
            payment.EnergyKWh = result.EnergyKWh;
            allocated.Add(payment);
            if (result.EnergyKWh == 0)
            {
                finished.Add(new Outcome(payment, TransactionStatus.Confirmed, null, null, records));
            }
        }

        await db.InsertRowsAsync(ledger, cancellationToken);
        await PayDebtsAsync(ratePayments, accessPayments, cancellationToken);
        // All allocated payments wait for their token, claimed by this worker; those with no energy to buy are confirmed right below.
        await db.ExecuteAsync("""
            UPDATE mpm.transactions t SET status = 'processing', energy_kwh = u.energy_kwh, claimed_until = @until, claimed_by = @by
            FROM unnest(@ids, @energy) AS u(id, energy_kwh) WHERE t.id = u.id
            """, cancellationToken, new DataParameter("until", now + claims.Lease), new DataParameter("by", claims.Host),
            new DataParameter("ids", allocated.Select(p => p.Id).ToArray()), new DataParameter("energy", allocated.Select(p => p.EnergyKWh!.Value).ToArray()));
        await db.InsertRowsAsync(allocated.Select(p => new TransactionEventRecord
        {
            TransactionId = p.Id, At = now, Event = "allocated", Details = string.Join("; ", ledger.Where(a => a.TransactionId == p.Id).Select(a => $"{a.Type} {a.Amount}")),
        }), cancellationToken);
        await FinishAsync(finished, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var payment in allocated)
        {
            logger.LogInformation("Payment {TransactionId} allocated: {Allocations}; {EnergyKWh} kWh to buy", payment.Id,
                string.Join("; ", ledger.Where(a => a.TransactionId == payment.Id).Select(a => $"{a.Type} {a.Amount}")), payment.EnergyKWh);
        }

        return (payments.Count, allocated.Where(p => p.EnergyKWh > 0).Select(p => p.Id).ToList());
    }

    private async Task IssueTokensAsync(IReadOnlyList<long> transactionIds, CancellationToken cancellationToken)
    {
        if (transactionIds.Count == 0)
        {
            return;
        }

        var payments = await db.Transactions.Where(t => transactionIds.Contains(t.Id) && t.Status == TransactionStatus.Processing).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        if (payments.Count == 0)
        {
            return;
        }

        var meterIds = payments.Select(p => p.MeterId).Distinct().ToList();
        var manufacturers = await (from m in db.Meters join f in db.Manufacturers on m.ManufacturerId equals f.Id where meterIds.Contains(m.Id) select new { MeterId = m.Id, Manufacturer = f })
            .ToDictionaryAsync(m => m.MeterId, m => m.Manufacturer, cancellationToken);
        var settingsOf = new Dictionary<long, IReadOnlyDictionary<string, string?>>();
        foreach (var manufacturer in manufacturers.Values.DistinctBy(m => m.Id))
        {
            settingsOf[manufacturer.Id] = await settings.GetForManufacturerAsync(manufacturer.TokenGenerator, manufacturer.Id, cancellationToken);
        }

        // Generators wait on vendors' servers or their own database transactions: a few run at once, each in its own
        // scope as if it were a request of its own.
        var results = new (GeneratedToken? Token, Exception? Error)[payments.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, payments.Count), new ParallelOptions { MaxDegreeOfParallelism = TokenConcurrency, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var manufacturer = manufacturers[payments[i].MeterId];
            // The generator plugin's own lines (and its HTTP client's) carry the transaction id through this scope.
            using var logScope = PipelineLog.ForPayment(logger, payments[i].Id);
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                var generator = scope.ServiceProvider.GetKeyedService<ITokenGenerator>(manufacturer.TokenGenerator)
                    ?? throw new TokenGenerationException($"the token generator plugin '{manufacturer.TokenGenerator}' of {manufacturer.Name} is not active", transient: true);
                results[i] = (await generator.GenerateCreditAsync(new CreditTokenRequest(payments[i].Id, payments[i].MeterSerial, payments[i].EnergyKWh!.Value, settingsOf[manufacturer.Id]), token), null);
                logger.LogDebug("Payment {TransactionId}: {Generator} made the token for {EnergyKWh} kWh", payments[i].Id, manufacturer.TokenGenerator, payments[i].EnergyKWh);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                results[i] = (null, e);
            }
        });

        for (var i = 0; i < payments.Count; i++)
        {
            if (results[i].Error is { } error)
            {
                await TokenFailedAsync(payments[i], error, cancellationToken);
            }
        }

        await ConfirmAsync(payments.Zip(results).Where(r => r.Second.Token is not null).Select(r => (r.First, r.Second.Token!)).ToList(), cancellationToken);
    }

    private async Task TokenFailedAsync(TransactionRecord payment, Exception error, CancellationToken cancellationToken)
    {
        var permanent = error is TokenGenerationException { Transient: false };
        var attempts = payment.Attempts + 1;
        logger.LogWarning("Payment {TransactionId}: token attempt {Attempt} failed: {Error}", payment.Id, attempts, error.Message);
        if (permanent || attempts >= MaxTokenAttempts)
        {
            var reason = permanent ? $"token could not be made: {error.Message}" : $"token generator unavailable after {attempts} attempts: {error.Message}";
            await CancelWithReversalAsync(payment.Id, reason, cancellationToken);
        }
        else
        {
            await ScheduleRetryAsync(payment.Id, attempts, error.Message, cancellationToken);
        }
    }

    private async Task ConfirmAsync(IReadOnlyList<(TransactionRecord Payment, GeneratedToken Token)> tokens, CancellationToken cancellationToken)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var locked = (await LockAsync(tokens.Select(t => t.Payment.Id).ToList(), TransactionStatus.Processing, cancellationToken)).Select(p => p.Id).ToHashSet();
        var now = clock.GetUtcNow();
        var confirmed = tokens.Where(t => locked.Contains(t.Payment.Id)).Select(t => (t.Payment, Token: new TokenRecord
        {
            TransactionId = t.Payment.Id, MeterId = t.Payment.MeterId, Value = t.Token.Value, Kind = t.Token.Kind, Amount = t.Token.Amount, Unit = t.Token.Unit, CreatedAt = now,
        })).ToList();
        await db.InsertRowsAsync(confirmed.Select(c => c.Token), cancellationToken);
        var ids = confirmed.Select(c => c.Payment.Id).ToList();
        var ledger = (await db.Allocations.Where(a => ids.Contains(a.TransactionId)).OrderBy(a => a.Id).ToListAsync(cancellationToken)).ToLookup(a => a.TransactionId);
        await FinishAsync(confirmed.Select(c => new Outcome(c.Payment, TransactionStatus.Confirmed, null, c.Token, ledger[c.Payment.Id].ToList())).ToList(), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ScheduleRetryAsync(long transactionId, int attempts, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delay = RetryBackoff.Exponential(RetryDelay, attempts, TimeSpan.FromMinutes(5));
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.Transactions.Where(t => t.Id == transactionId && t.Status == TransactionStatus.Processing)
            .Set(t => t.Attempts, attempts).Set(t => t.NextAttemptAt, now + delay).Set(t => t.LastError, error).Set(t => t.ClaimedUntil, (DateTimeOffset?)null)
            .UpdateAsync(cancellationToken);
        await db.InsertAsync(new TransactionEventRecord { TransactionId = transactionId, At = now, Event = "token-retry", Details = $"attempt {attempts} failed ({error}); next in {delay.TotalSeconds:0} s" }, token: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Cancels an allocated payment: each allocation gets its negative twin and the debts it paid are owed again.</summary>
    private async Task CancelWithReversalAsync(long transactionId, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var payment = (await LockAsync([transactionId], TransactionStatus.Processing, cancellationToken)).SingleOrDefault();
        if (payment is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var allocations = await db.Allocations.Where(a => a.TransactionId == transactionId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var reversals = allocations.Where(a => a.ReversesId is null && allocations.All(r => r.ReversesId != a.Id)).Select(original => new AllocationRecord
        {
            TransactionId = transactionId,
            Type = original.Type,
            Amount = -original.Amount,
            AssetRateId = original.AssetRateId,
            Description = $"reversal: {original.Description}",
            ReversesId = original.Id,
            CreatedAt = now,
        }).ToList();
        var ratePayments = new Dictionary<long, decimal>();
        var accessPayments = new Dictionary<long, decimal>();
        foreach (var reversal in reversals)
        {
            AddDebtPayment(reversal, payment.MeterId, reversal.Amount, ratePayments, accessPayments);
        }

        await db.InsertRowsAsync(reversals, cancellationToken);
        await PayDebtsAsync(ratePayments, accessPayments, cancellationToken);
        await FinishAsync([new Outcome(payment, TransactionStatus.Cancelled, reason, null, [])], now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A positive amount pays a debt; a negative one (a reversal) makes it owed again.</summary>
    private static void AddDebtPayment(AllocationRecord allocation, long meterId, decimal amount, Dictionary<long, decimal> ratePayments, Dictionary<long, decimal> accessPayments)
    {
        if (allocation.Type == "asset-rate")
        {
            ratePayments[allocation.AssetRateId!.Value] = ratePayments.GetValueOrDefault(allocation.AssetRateId.Value) + amount;
        }
        else if (allocation.Type == "access-rate")
        {
            accessPayments[meterId] = accessPayments.GetValueOrDefault(meterId) + amount;
        }
    }

    private async Task PayDebtsAsync(Dictionary<long, decimal> ratePayments, Dictionary<long, decimal> accessPayments, CancellationToken cancellationToken)
    {
        if (ratePayments.Count > 0)
        {
            await db.ExecuteAsync("UPDATE mpm.asset_rates r SET paid = r.paid + u.amount FROM unnest(@ids, @amounts) AS u(id, amount) WHERE r.id = u.id", cancellationToken,
                new DataParameter("ids", ratePayments.Keys.ToArray()), new DataParameter("amounts", ratePayments.Values.ToArray()));
        }

        if (accessPayments.Count > 0)
        {
            await db.ExecuteAsync("UPDATE mpm.access_rate_accounts a SET debt = a.debt - u.amount FROM unnest(@ids, @amounts) AS u(id, amount) WHERE a.meter_id = u.id", cancellationToken,
                new DataParameter("ids", accessPayments.Keys.ToArray()), new DataParameter("amounts", accessPayments.Values.ToArray()));
        }
    }

    private sealed record Outcome(TransactionRecord Payment, string Status, string? Reason, TokenRecord? Token, IReadOnlyList<AllocationRecord> Allocations);

    /// <summary>Records the outcomes and queues, in the caller's transaction, each payment's provider callback and the payer's SMS.</summary>
    private async Task FinishAsync(IReadOnlyList<Outcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        await db.ExecuteAsync("""
            UPDATE mpm.transactions t SET status = u.status, reason = u.reason, completed_at = @now, claimed_until = NULL
            FROM unnest(@ids, @statuses, @reasons) AS u(id, status, reason) WHERE t.id = u.id
            """, cancellationToken,
            new DataParameter("now", now), new DataParameter("ids", outcomes.Select(o => o.Payment.Id).ToArray()),
            new DataParameter("statuses", outcomes.Select(o => o.Status).ToArray()), new DataParameter("reasons", outcomes.Select(o => o.Reason).ToArray()));
        foreach (var outcome in outcomes)
        {
            outcome.Payment.Status = outcome.Status;
            outcome.Payment.Reason = outcome.Reason;
            logger.LogInformation("Payment {TransactionId} {Status}{Reason}", outcome.Payment.Id, outcome.Status, outcome.Reason is null ? "" : $": {outcome.Reason}");
        }

        await db.InsertRowsAsync(outcomes.Select(o => new TransactionEventRecord
        {
            TransactionId = o.Payment.Id, At = now, Event = o.Status, Details = o.Reason ?? (o.Token is null ? "no energy token" : $"token for {o.Token.Amount} {o.Token.Unit}"),
        }), cancellationToken);
        await db.InsertRowsAsync(outcomes.Select(o => new ProviderOutboxRecord { TransactionId = o.Payment.Id, Provider = o.Payment.Provider, Status = "pending", NextAttemptAt = now, CreatedAt = now }), cancellationToken);
        await SmsComposer.QueueAsync(db, outcomes.Select(o => new SmsComposer.PaymentMessage(o.Payment, o.Token, o.Allocations)).ToList(), now, cancellationToken);
    }

    /// <summary>
    /// Locks the payments still in <paramref name="status"/>. It waits rather than skips: a claim query of another worker
    /// holds rows for an instant, and a worker whose claim expired may still be finishing them (then the status has moved on).
    /// </summary>
    private Task<List<TransactionRecord>> LockAsync(IReadOnlyList<long> transactionIds, string status, CancellationToken cancellationToken) =>
        db.QueryToListAsync<TransactionRecord>(
            "SELECT * FROM mpm.transactions WHERE id = ANY(@ids) AND status = @status ORDER BY id FOR UPDATE", cancellationToken,
            new DataParameter("ids", transactionIds.ToArray()), new DataParameter("status", status));

    public static string TypeName(AllocationType type) => type switch
    {
        AllocationType.AssetRate => "asset-rate",
        AllocationType.AccessRate => "access-rate",
        _ => "energy",
    };

    private sealed class MeterTariffRow
    {
        [Column("meter_id")] public long MeterId { get; set; }
        [Column("price_per_kwh")] public decimal PricePerKWh { get; set; }
        [Column("minimum_purchase")] public decimal MinimumPurchase { get; set; }
        [Column("component_prices")] public decimal[] ComponentPrices { get; set; } = [];
    }

    private sealed class AccessDebtRow
    {
        [Column("meter_id")] public long MeterId { get; set; }
        [Column("debt")] public decimal Debt { get; set; }
    }

    private sealed class OverdueRateRow
    {
        [Column("id")] public long Id { get; set; }
        [Column("customer_id")] public long CustomerId { get; set; }
        [Column("due_date")] public DateOnly DueDate { get; set; }
        [Column("remaining")] public decimal Remaining { get; set; }
        [Column("asset_name")] public string AssetName { get; set; } = "";
    }
}
