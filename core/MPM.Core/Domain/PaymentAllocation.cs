namespace MPM.Core.Domain;

public enum AllocationType
{
    AssetRate,
    AccessRate,
    Energy,
}

/// <summary>An unpaid asset instalment of the payer, due before today.</summary>
public sealed record OverdueRate(long RateId, DateOnly DueDate, decimal Remaining, string AssetName);

/// <param name="RateId">The asset rate paid, for <see cref="AllocationType.AssetRate"/>.</param>
public sealed record Allocation(AllocationType Type, decimal Amount, long? RateId, string Description);

/// <param name="CancelReason">Set when the payment cannot be accepted; then nothing is allocated.</param>
public sealed record AllocationResult(string? CancelReason, IReadOnlyList<Allocation> Allocations, decimal EnergyKWh)
{
    public bool Cancelled => CancelReason is not null;
}

/// <summary>How a payment is spent: overdue asset rates, then access-rate debt, then energy (DOMAIN.md).</summary>
public static class PaymentAllocation
{
    public const string MinimumNotReached = "minimum purchase amount not reached";
    public const decimal KWhStep = 0.1m;

    public static AllocationResult Allocate(decimal amount, decimal totalPricePerKWh, decimal minimumPurchase, IEnumerable<OverdueRate> overdueRates, decimal accessRateDebt)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "a payment amount must be positive");
        }

        if (totalPricePerKWh <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalPricePerKWh), "a tariff price must be positive");
        }

        var allocations = new List<Allocation>();
        var rest = amount;
        foreach (var rate in overdueRates.Where(r => r.Remaining > 0).OrderBy(r => r.DueDate).ThenBy(r => r.RateId))
        {
            if (rest == 0)
            {
                break;
            }

            var paid = Math.Min(rate.Remaining, rest);
            allocations.Add(new Allocation(AllocationType.AssetRate, paid, rate.RateId, $"{rate.AssetName} rate due {rate.DueDate:yyyy-MM-dd}"));
            rest -= paid;
        }

        if (accessRateDebt > 0 && rest > 0)
        {
            var paid = Math.Min(accessRateDebt, rest);
            allocations.Add(new Allocation(AllocationType.AccessRate, paid, null, "access rate"));
            rest -= paid;
        }

        if (minimumPurchase > 0 && rest < minimumPurchase)
        {
            return new AllocationResult(MinimumNotReached, [], 0m);
        }

        var kwh = Math.Floor(rest / totalPricePerKWh / KWhStep) * KWhStep;
        if (rest > 0)
        {
            allocations.Add(new Allocation(AllocationType.Energy, rest, null, $"{kwh:0.0} kWh"));
        }

        return new AllocationResult(null, allocations, kwh);
    }
}
