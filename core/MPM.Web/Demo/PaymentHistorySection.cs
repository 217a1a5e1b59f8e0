using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Payments;

namespace MPM.Web.Demo;

/// <summary>
/// The payments customers made before today, so that dashboards, reports and the Transactions pages start with a
/// history: every few days per customer since registration, spent by the real allocation rule (the access-rate fees
/// owed, then energy), confirmed, or cancelled below the tariff's minimum purchase. It is imported history: no tokens,
/// SMS or timeline events; the access-rate accounts owe what those payments left unpaid.
/// </summary>
public sealed class PaymentHistorySection(MpmDb db) : IDemoSection
{
    public const string Provider = "demo-history";

    /// <summary>
    /// Per connection type: the range of a payment (TZS, in steps of 500) and the mean days between two; about twenty
    /// payments a customer over 24 months, the size the dashboards' targets are measured at.
    /// </summary>
    private static readonly Dictionary<string, (int Low, int High, int EveryDays)> Habits = new()
    {
        [CustomerGroupsSection.Residential] = (2_000, 15_000, 21),
        [CustomerGroupsSection.Commercial] = (5_000, 40_000, 14),
        [CustomerGroupsSection.ProductiveUse] = (3_000, 120_000, 10),
        [CustomerGroupsSection.Institution] = (20_000, 80_000, 30),
    };

    private sealed record Payment(TransactionRecord Transaction, IReadOnlyList<Allocation> Allocations);

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var components = (await db.TariffComponents.ToListAsync(cancellationToken)).ToLookup(c => c.TariffId, c => c.PricePerKWh);
        var clusterOf = await db.MiniGrids.ToDictionaryAsync(g => g.Id, g => g.ClusterId, cancellationToken);
        var miniGridOf = context.Villages.ToDictionary(v => v.Record.Id, v => v.Record.MiniGridId);
        var payments = new List<Payment>();
        foreach (var customer in context.Customers)
        {
            payments.AddRange(PaymentsOf(context, customer, Tariffs.TotalPricePerKWh(customer.Segment.Tariff.PricePerKWh, components[customer.Segment.Tariff.Id]), miniGridOf, clusterOf));
        }

        var transactionId = await DemoBulk.ReserveIdsAsync(db, "mpm.transactions", payments.Count, cancellationToken);
        var allocationId = await DemoBulk.ReserveIdsAsync(db, "mpm.allocations", payments.Sum(p => p.Allocations.Count), cancellationToken);
        var allocations = new List<AllocationRecord>();
        foreach (var (transaction, spent) in payments)
        {
            transaction.Id = transactionId++;
            transaction.ProviderReference = $"DEMO-{transaction.Id:D8}";
            allocations.AddRange(spent.Select(a => new AllocationRecord
            {
                Id = allocationId++, TransactionId = transaction.Id, Type = PaymentProcessor.TypeName(a.Type), Amount = a.Amount, Description = a.Description, CreatedAt = transaction.CompletedAt!.Value,
            }));
        }

        await DemoBulk.CopyAsync(db, payments.Select(p => p.Transaction), cancellationToken);
        await DemoBulk.CopyAsync(db, allocations, cancellationToken);
        var accounts = context.Customers.Where(c => c.Account is not null).Select(c => c.Account!).ToList();
        await db.ExecuteAsync("UPDATE mpm.access_rate_accounts a SET debt = u.debt FROM unnest(@meters, @debts) AS u(meter_id, debt) WHERE a.meter_id = u.meter_id", cancellationToken,
            new DataParameter("meters", accounts.Select(a => a.MeterId).ToArray()), new DataParameter("debts", accounts.Select(a => a.Debt).ToArray()));
        context.Payments = payments.Count;
    }

    /// <summary>The customer's payments from registration until now; lowers their account's debt by the fees they paid.</summary>
    private static IEnumerable<Payment> PaymentsOf(DemoContext context, DemoCustomer customer, decimal pricePerKWh, Dictionary<long, long> miniGridOf, Dictionary<long, long> clusterOf)
    {
        var (low, high, everyDays) = Habits[customer.Segment.Type.Name];
        var tariff = customer.Segment.Tariff;
        var account = customer.Account;
        var opened = tariff.AccessRatePeriodDays is { } days ? AccessRate.Open(DateOnly.FromDateTime(customer.Meter.RegisteredAt.UtcDateTime), days) : null;
        var feesPaid = 0m;
        var at = customer.Meter.RegisteredAt.AddHours(1 + context.Random.Next(48));
        while (at < context.Now)
        {
            // One payment in twenty-five is a small top-up, which productive-use meters refuse below their minimum.
            var amount = context.Random.Next(25) == 0 ? 500m : 500m * context.Random.Next(low / 500, high / 500 + 1);
            var owed = opened is null ? 0m : AccessRate.Accrue(opened, tariff.AccessRateAmount!.Value, tariff.AccessRatePeriodDays!.Value, DateOnly.FromDateTime(at.UtcDateTime)).State.Debt - feesPaid;
            var result = PaymentAllocation.Allocate(amount, pricePerKWh, tariff.MinimumPurchase, [], owed);
            feesPaid += result.Allocations.Where(a => a.Type == AllocationType.AccessRate).Sum(a => a.Amount);
            var completed = at.AddSeconds(2 + context.Random.Next(5));
            yield return new Payment(new TransactionRecord
            {
                Provider = Provider,
                MeterId = customer.Meter.Id,
                MeterSerial = customer.Meter.SerialNumber,
                CustomerId = customer.Customer.Id,
                VillageId = customer.Meter.VillageId,
                MiniGridId = miniGridOf[customer.Meter.VillageId],
                ClusterId = clusterOf[miniGridOf[customer.Meter.VillageId]],
                ConnectionTypeId = customer.Meter.ConnectionTypeId,
                Amount = amount,
                Currency = "TZS",
                PayerPhone = customer.Customer.Phone,
                RawData = "{\"demo\":\"history\"}",
                Status = result.Cancelled ? TransactionStatus.Cancelled : TransactionStatus.Confirmed,
                Reason = result.CancelReason,
                EnergyKWh = result.Cancelled ? null : result.EnergyKWh,
                NextAttemptAt = at,
                ReceivedAt = at,
                CompletedAt = completed,
            }, result.Allocations);
            at = at.AddHours(24 * (everyDays / 2 + context.Random.Next(everyDays + 1)) + context.Random.Next(-6, 7));
        }

        if (account is not null)
        {
            account.Debt -= feesPaid;
        }
    }
}
