using LinqToDB.Mapping;

namespace MPM.Data;

[Table("targets", Schema = "mpm")]
public sealed class TargetRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("owner_type"), NotNull] public string OwnerType { get; set; } = "";
    [Column("cluster_id")] public long? ClusterId { get; set; }
    [Column("mini_grid_id")] public long? MiniGridId { get; set; }
    [Column("valid_until")] public DateOnly ValidUntil { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("target_values", Schema = "mpm")]
public sealed class TargetValueRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("target_id")] public long TargetId { get; set; }
    [Column("connection_type_id")] public long? ConnectionTypeId { get; set; }
    [Column("new_connections")] public int? NewConnections { get; set; }
    [Column("revenue")] public decimal? Revenue { get; set; }
    [Column("connected_power")] public decimal? ConnectedPower { get; set; }
    [Column("energy_per_month")] public decimal? EnergyPerMonth { get; set; }
    [Column("average_revenue_per_customer")] public decimal? AverageRevenuePerCustomer { get; set; }
}

/// <summary>Confirmed transactions of one operator day, mini-grid and customer group (0: none); kept by triggers.</summary>
[Table("dashboard_daily", Schema = "mpm")]
public sealed class DashboardDailyRecord
{
    [Column("day"), PrimaryKey(0)] public DateOnly Day { get; set; }
    [Column("mini_grid_id"), PrimaryKey(1)] public long MiniGridId { get; set; }
    [Column("connection_type_id"), PrimaryKey(2)] public long ConnectionTypeId { get; set; }
    [Column("cluster_id")] public long ClusterId { get; set; }
    [Column("payments")] public int Payments { get; set; }
    [Column("revenue")] public decimal Revenue { get; set; }
    [Column("energy_kwh")] public decimal EnergyKWh { get; set; }
    [Column("energy_amount")] public decimal EnergyAmount { get; set; }
    [Column("access_rate_amount")] public decimal AccessRateAmount { get; set; }
    [Column("asset_rate_amount")] public decimal AssetRateAmount { get; set; }
}
