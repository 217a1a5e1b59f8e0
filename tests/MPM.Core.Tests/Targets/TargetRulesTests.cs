using MPM.Core.Domain;
using Xunit;

namespace MPM.Core.Tests.Targets;

public sealed class TargetRulesTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static Target MiniGrid(long id, long miniGridId, DateOnly validUntil, params TargetValue[] values) =>
        new(id, TargetOwnerType.MiniGrid, miniGridId, validUntil, values);

    private static TargetValue All(int? newConnections = null, decimal? revenue = null, decimal? average = null) =>
        new(null, new TargetGoals(newConnections, revenue, null, null, average));

    private static TargetValue Group(long connectionTypeId, int? newConnections = null, decimal? revenue = null, decimal? energy = null) =>
        new(connectionTypeId, new TargetGoals(newConnections, revenue, null, energy, null));

    [Fact]
    public void A_cluster_without_its_own_target_shows_the_sum_of_its_mini_grids_targets()
    {
        var end = D(2026, 12, 31);
        var rolled = TargetRules.RollUp(null, [MiniGrid(1, 11, end, All(100)), MiniGrid(2, 12, end, All(200)), MiniGrid(3, 13, end, All(500))]);

        Assert.Equal(RollUpSource.MiniGrids, rolled.Source);
        Assert.Equal(800, rolled.Total.NewConnections);
        Assert.Null(rolled.Total.Revenue);
        Assert.Equal(3, rolled.Parts.Count);
    }

    [Fact]
    public void A_cluster_with_its_own_target_shows_only_that()
    {
        var end = D(2026, 12, 31);
        var own = new Target(9, TargetOwnerType.Cluster, 1, end, [All(50, 1_000m)]);
        var rolled = TargetRules.RollUp(own, [MiniGrid(1, 11, end, All(100)), MiniGrid(2, 12, end, All(200))]);

        Assert.Equal(RollUpSource.Cluster, rolled.Source);
        Assert.Equal(50, rolled.Total.NewConnections);
        Assert.Equal(1_000m, rolled.Total.Revenue);
        Assert.Same(own, Assert.Single(rolled.Parts));
    }

    [Fact]
    public void Mini_grids_without_a_target_and_a_cluster_without_one_roll_up_to_nothing()
    {
        var rolled = TargetRules.RollUp(null, [null, null]);

        Assert.Equal(RollUpSource.None, rolled.Source);
        Assert.True(rolled.Total.IsEmpty);
        Assert.Empty(rolled.Groups);
    }

    [Fact]
    public void Goals_add_up_per_customer_group_and_a_goal_nobody_set_stays_empty()
    {
        var end = D(2026, 12, 31);
        var rolled = TargetRules.RollUp(null, [
            MiniGrid(1, 11, end, Group(1, 10, 500m), Group(2, 3)),
            MiniGrid(2, 12, end, Group(1, 5, 250.50m)),
        ]);

        Assert.Equal(new TargetGoals(15, 750.50m, null, null, null), rolled.Groups[1]);
        Assert.Equal(new TargetGoals(3, null, null, null, null), rolled.Groups[2]);
        Assert.Equal(new TargetGoals(18, 750.50m, null, null, null), rolled.Total);
    }

    [Fact]
    public void The_all_customers_value_of_a_target_wins_over_the_sum_of_its_groups_goal_by_goal()
    {
        var target = MiniGrid(1, 11, D(2026, 12, 31), All(newConnections: 40), Group(1, 10, 500m), Group(2, 20, 300m));

        // New connections were set for all customers (40, not 10 + 20); revenue only per group (500 + 300).
        Assert.Equal(new TargetGoals(40, 800m, null, null, null), target.Total);
    }

    [Fact]
    public void An_average_revenue_per_customer_rolls_up_as_the_mean_of_the_averages_set()
    {
        var end = D(2026, 12, 31);
        var rolled = TargetRules.RollUp(null, [MiniGrid(1, 11, end, All(average: 10_000m)), MiniGrid(2, 12, end, All(average: 15_000m)), MiniGrid(3, 13, end, All(5))]);

        Assert.Equal(12_500m, rolled.Total.AverageRevenuePerCustomer);
        Assert.Equal(5, rolled.Total.NewConnections);
    }

    [Fact]
    public void The_target_in_force_is_the_nearest_deadline_on_or_after_the_periods_last_day()
    {
        var june = MiniGrid(1, 11, D(2026, 6, 30), All(50));
        var december = MiniGrid(2, 11, D(2026, 12, 31), All(100));
        Target[] targets = [december, june];

        Assert.Same(june, TargetRules.InForce(targets, D(2026, 1, 1), D(2026, 3, 31)));
        Assert.Same(june, TargetRules.InForce(targets, D(2026, 6, 1), D(2026, 6, 30)));
        Assert.Same(december, TargetRules.InForce(targets, D(2026, 7, 1), D(2026, 9, 30)));
        Assert.Same(december, TargetRules.InForce(targets, D(2026, 1, 1), D(2026, 12, 31)));
    }

    [Fact]
    public void A_target_that_expires_within_the_period_counts_when_none_lasts_to_its_end_and_an_expired_one_never()
    {
        var june = MiniGrid(1, 11, D(2026, 6, 30), All(50));
        var may = MiniGrid(2, 11, D(2026, 5, 31), All(40));

        Assert.Same(june, TargetRules.InForce([may, june], D(2026, 5, 1), D(2026, 7, 31)));
        Assert.Null(TargetRules.InForce([may, june], D(2026, 7, 1), D(2026, 7, 31)));
        Assert.Null(TargetRules.InForce([], D(2026, 7, 1), D(2026, 7, 31)));
    }

    [Fact]
    public void Of_two_targets_with_the_same_date_the_newer_counts()
    {
        var older = MiniGrid(1, 11, D(2026, 6, 30), All(50));
        var newer = MiniGrid(2, 11, D(2026, 6, 30), All(60));

        Assert.Same(newer, TargetRules.InForce([newer, older], D(2026, 6, 1), D(2026, 6, 30)));
        Assert.Same(newer, TargetRules.InForce([older, newer], D(2026, 6, 1), D(2026, 6, 30)));
    }

    [Theory]
    [InlineData("2026-01-01", "2026-03-31", "3")]
    [InlineData("2026-02-01", "2026-02-14", "0.5")]
    [InlineData("2026-01-01", "2026-01-31", "1")]
    [InlineData("2024-02-01", "2024-02-29", "1")]
    [InlineData("2026-03-01", "2026-02-28", "0")]
    public void A_period_covers_calendar_months_by_their_share_of_days(string first, string last, string months) =>
        Assert.Equal(decimal.Parse(months, System.Globalization.CultureInfo.InvariantCulture), TargetRules.MonthsIn(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_period_across_months_adds_each_months_share()
    {
        // 16-31 January: 16/31; all of February: 1; 1-10 March: 10/31. 1,000 a month is 1,838.71 over the period.
        var months = TargetRules.MonthsIn(D(2026, 1, 16), D(2026, 3, 10));

        Assert.Equal(16m / 31 + 1 + 10m / 31, months);
        Assert.Equal(1_838.71m, TargetRules.ForPeriod(1_000m, D(2026, 1, 16), D(2026, 3, 10)));
        Assert.Null(TargetRules.ForPeriod(null, D(2026, 1, 16), D(2026, 3, 10)));
    }
}
