namespace MPM.Core.Domain;

/// <summary>What a target belongs to.</summary>
public enum TargetOwnerType
{
    Cluster,
    MiniGrid,
}

/// <summary>
/// The goals of a target for one customer group, or a roll-up of several; every goal is optional (null: not set).
/// Revenue and energy are per month; connected power in kW.
/// </summary>
public sealed record TargetGoals(int? NewConnections, decimal? Revenue, decimal? ConnectedPower, decimal? EnergyPerMonth, decimal? AverageRevenuePerCustomer)
{
    public static TargetGoals None { get; } = new(null, null, null, null, null);

    public bool IsEmpty => this == None;

    /// <summary>
    /// Goals of several owners or groups together: counts, revenue, power and energy add up; an average revenue per
    /// customer is not additive, so the roll-up is the mean of the averages that were set. A goal no part set stays null.
    /// </summary>
    public static TargetGoals Combine(IEnumerable<TargetGoals> parts)
    {
        var list = parts.ToList();
        int? newConnections = list.Any(g => g.NewConnections is not null) ? list.Sum(g => g.NewConnections ?? 0) : null;
        var averages = list.Where(g => g.AverageRevenuePerCustomer is not null).Select(g => g.AverageRevenuePerCustomer!.Value).ToList();
        return new TargetGoals(
            newConnections,
            Sum(list, g => g.Revenue),
            Sum(list, g => g.ConnectedPower),
            Sum(list, g => g.EnergyPerMonth),
            averages.Count == 0 ? null : decimal.Round(averages.Average(), 2));
    }

    /// <summary>Each goal of this one, or where it is not set, the one of <paramref name="fallback"/>.</summary>
    public TargetGoals Or(TargetGoals fallback) => new(
        NewConnections ?? fallback.NewConnections,
        Revenue ?? fallback.Revenue,
        ConnectedPower ?? fallback.ConnectedPower,
        EnergyPerMonth ?? fallback.EnergyPerMonth,
        AverageRevenuePerCustomer ?? fallback.AverageRevenuePerCustomer);

    private static decimal? Sum(List<TargetGoals> list, Func<TargetGoals, decimal?> goal) =>
        list.Any(g => goal(g) is not null) ? list.Sum(g => goal(g) ?? 0m) : null;
}

/// <param name="ConnectionTypeId">The customer group; null: all customers of the owner.</param>
public sealed record TargetValue(long? ConnectionTypeId, TargetGoals Goals);

public sealed record Target(long Id, TargetOwnerType OwnerType, long OwnerId, DateOnly ValidUntil, IReadOnlyList<TargetValue> Values)
{
    /// <summary>
    /// The owner's goals for all its customers: per goal, the all-customers value where it is set, else the groups'
    /// values combined.
    /// </summary>
    public TargetGoals Total =>
        (Values.FirstOrDefault(v => v.ConnectionTypeId is null)?.Goals ?? TargetGoals.None)
        .Or(TargetGoals.Combine(Values.Where(v => v.ConnectionTypeId is not null).Select(v => v.Goals)));

    /// <summary>The goals of one customer group (null: the all-customers value).</summary>
    public TargetGoals For(long? connectionTypeId) =>
        Values.FirstOrDefault(v => v.ConnectionTypeId == connectionTypeId)?.Goals ?? TargetGoals.None;
}

/// <summary>Where a cluster's rolled-up target comes from.</summary>
public enum RollUpSource
{
    /// <summary>Neither the cluster nor any of its mini-grids has a target for the period.</summary>
    None,

    /// <summary>The cluster's own target: its mini-grids' targets are not shown.</summary>
    Cluster,

    /// <summary>The sum of its mini-grids' targets.</summary>
    MiniGrids,
}

/// <param name="Groups">The goals per customer group (key 0: the all-customers values), combined like the total.</param>
public sealed record RolledUpTarget(RollUpSource Source, TargetGoals Total, IReadOnlyDictionary<long, TargetGoals> Groups, IReadOnlyList<Target> Parts);

/// <summary>The rules of DOMAIN.md "Targets": which target counts for a period, and a cluster's roll-up.</summary>
public static class TargetRules
{
    /// <summary>
    /// The target of one owner that counts for the days <paramref name="firstDay"/>..<paramref name="lastDay"/>: the
    /// one still valid on the last day that expires first (the nearest deadline); when every target expires before
    /// the last day, the last one to expire within the period; none when all expired before it began. Of two with the
    /// same date, the newer (larger id).
    /// </summary>
    public static Target? InForce(IEnumerable<Target> ownerTargets, DateOnly firstDay, DateOnly lastDay)
    {
        var candidates = ownerTargets.Where(t => t.ValidUntil >= firstDay).ToList();
        var upcoming = candidates.Where(t => t.ValidUntil >= lastDay).OrderBy(t => t.ValidUntil).ThenByDescending(t => t.Id).FirstOrDefault();
        return upcoming ?? candidates.OrderByDescending(t => t.ValidUntil).ThenByDescending(t => t.Id).FirstOrDefault();
    }

    /// <summary>
    /// A cluster's target for a period: its own one if it has one (then only that), else the sum of its mini-grids'
    /// targets (MG-1 100 + MG-2 200 + MG-3 500 new connections: 800).
    /// </summary>
    public static RolledUpTarget RollUp(Target? clusterTarget, IEnumerable<Target?> miniGridTargets)
    {
        if (clusterTarget is not null)
        {
            return new RolledUpTarget(RollUpSource.Cluster, clusterTarget.Total, Groups([clusterTarget]), [clusterTarget]);
        }

        var parts = miniGridTargets.OfType<Target>().ToList();
        return parts.Count == 0
            ? new RolledUpTarget(RollUpSource.None, TargetGoals.None, new Dictionary<long, TargetGoals>(), [])
            : new RolledUpTarget(RollUpSource.MiniGrids, TargetGoals.Combine(parts.Select(p => p.Total)), Groups(parts), parts);
    }

    /// <summary>
    /// How many months the days <paramref name="firstDay"/>..<paramref name="lastDay"/> cover: each calendar month
    /// counts with the share of its days in the period (1 Jan–31 Mar: 3; 1–14 Feb 2026: 0.5). What a monthly goal is
    /// multiplied by to compare it with the period's actual figures.
    /// </summary>
    public static decimal MonthsIn(DateOnly firstDay, DateOnly lastDay)
    {
        if (lastDay < firstDay)
        {
            return 0m;
        }

        var months = 0m;
        var monthStart = new DateOnly(firstDay.Year, firstDay.Month, 1);
        while (monthStart <= lastDay)
        {
            var monthEnd = monthStart.AddMonths(1).AddDays(-1);
            var from = firstDay > monthStart ? firstDay : monthStart;
            var to = lastDay < monthEnd ? lastDay : monthEnd;
            months += (decimal)(to.DayNumber - from.DayNumber + 1) / (monthEnd.DayNumber - monthStart.DayNumber + 1);
            monthStart = monthStart.AddMonths(1);
        }

        return months;
    }

    /// <summary>A monthly goal over a period, rounded to cents; null when the goal is not set.</summary>
    public static decimal? ForPeriod(decimal? monthlyGoal, DateOnly firstDay, DateOnly lastDay) =>
        monthlyGoal is { } goal ? decimal.Round(goal * MonthsIn(firstDay, lastDay), 2) : null;

    /// <summary>Per customer group, the goals of the parts combined (key 0: the all-customers values).</summary>
    private static Dictionary<long, TargetGoals> Groups(IReadOnlyList<Target> parts) =>
        parts.SelectMany(p => p.Values)
            .GroupBy(v => v.ConnectionTypeId ?? 0)
            .ToDictionary(g => g.Key, g => TargetGoals.Combine(g.Select(v => v.Goals)));
}
