namespace MPM.Core.Domain;

public enum RatePeriod
{
    Weekly,
    Monthly,
}

public sealed record ScheduledRate(int Number, DateOnly DueDate, decimal Amount);

/// <summary>The instalments of an asset sold on a rate plan.</summary>
public static class AssetSchedule
{
    /// <summary>
    /// The down payment is taken off; every rate is floor(rest / count) in whole currency units and the last one takes
    /// the remainder (1000 in 3 → 333, 333, 334). Rate i is due at the first date + i periods.
    /// </summary>
    public static IReadOnlyList<ScheduledRate> Build(decimal totalCost, decimal downPayment, int rateCount, RatePeriod period, DateOnly firstPaymentDate)
    {
        if (rateCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rateCount), "there must be at least one rate");
        }

        if (downPayment < 0 || downPayment > totalCost)
        {
            throw new ArgumentOutOfRangeException(nameof(downPayment), "the down payment must be between 0 and the total cost");
        }

        var rest = totalCost - downPayment;
        var rate = Math.Floor(rest / rateCount);
        return Enumerable.Range(0, rateCount)
            .Select(i => new ScheduledRate(
                i + 1,
                period == RatePeriod.Weekly ? firstPaymentDate.AddDays(7 * i) : firstPaymentDate.AddMonths(i),
                i == rateCount - 1 ? rest - rate * (rateCount - 1) : rate))
            .ToList();
    }

    public static RatePeriod ParsePeriod(string value) => value switch
    {
        "weekly" => RatePeriod.Weekly,
        "monthly" => RatePeriod.Monthly,
        _ => throw new ArgumentException($"rate period must be weekly or monthly, not '{value}'", nameof(value)),
    };

    public static string Name(RatePeriod period) => period == RatePeriod.Weekly ? "weekly" : "monthly";
}
