using LinqToDB.Mapping;

namespace MPM.Data;

[Table("clusters", Schema = "mpm")]
public sealed class ClusterRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("manager_name")] public string? ManagerName { get; set; }
    [Column("latitude")] public decimal? Latitude { get; set; }
    [Column("longitude")] public decimal? Longitude { get; set; }
    [Column("area_geojson")] public string? AreaGeoJson { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("mini_grids", Schema = "mpm")]
public sealed class MiniGridRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("cluster_id")] public long ClusterId { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("latitude")] public decimal Latitude { get; set; }
    [Column("longitude")] public decimal Longitude { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("villages", Schema = "mpm")]
public sealed class VillageRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("mini_grid_id")] public long MiniGridId { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("latitude")] public decimal Latitude { get; set; }
    [Column("longitude")] public decimal Longitude { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("connection_types", Schema = "mpm")]
public sealed class ConnectionTypeRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
}

[Table("connection_groups", Schema = "mpm")]
public sealed class ConnectionGroupRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
}

[Table("tariffs", Schema = "mpm")]
public sealed class TariffRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("price_per_kwh")] public decimal PricePerKWh { get; set; }
    [Column("minimum_purchase")] public decimal MinimumPurchase { get; set; }
    [Column("access_rate_amount")] public decimal? AccessRateAmount { get; set; }
    [Column("access_rate_period_days")] public int? AccessRatePeriodDays { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("tariff_components", Schema = "mpm")]
public sealed class TariffComponentRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("tariff_id")] public long TariffId { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("price_per_kwh")] public decimal PricePerKWh { get; set; }
}

[Table("manufacturers", Schema = "mpm")]
public sealed class ManufacturerRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("token_generator"), NotNull] public string TokenGenerator { get; set; } = "";
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("customers", Schema = "mpm")]
public sealed class CustomerRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("surname"), NotNull] public string Surname { get; set; } = "";
    [Column("phone"), NotNull] public string Phone { get; set; } = "";
    [Column("birth_date")] public DateOnly? BirthDate { get; set; }
    [Column("gender")] public string? Gender { get; set; }
    [Column("connection_type_id")] public long? ConnectionTypeId { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("search_text"), NotNull] public string SearchText { get; set; } = "";
}

[Table("addresses", Schema = "mpm")]
public sealed class AddressRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("customer_id")] public long CustomerId { get; set; }
    [Column("village_id")] public long VillageId { get; set; }
    [Column("street")] public string? Street { get; set; }
    [Column("phone")] public string? Phone { get; set; }
    [Column("latitude")] public decimal? Latitude { get; set; }
    [Column("longitude")] public decimal? Longitude { get; set; }
    [Column("is_primary")] public bool IsPrimary { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("meters", Schema = "mpm")]
public sealed class MeterRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("serial_number"), NotNull] public string SerialNumber { get; set; } = "";
    [Column("customer_id")] public long CustomerId { get; set; }
    [Column("village_id")] public long VillageId { get; set; }
    [Column("tariff_id")] public long TariffId { get; set; }
    [Column("manufacturer_id")] public long ManufacturerId { get; set; }
    [Column("connection_type_id")] public long? ConnectionTypeId { get; set; }
    [Column("connection_group_id")] public long? ConnectionGroupId { get; set; }
    [Column("latitude")] public decimal? Latitude { get; set; }
    [Column("longitude")] public decimal? Longitude { get; set; }
    [Column("in_use")] public bool InUse { get; set; } = true;
    [Column("registered_at")] public DateTimeOffset RegisteredAt { get; set; }
    [Column("meter_type_id")] public long? MeterTypeId { get; set; }
}

[Table("access_rate_accounts", Schema = "mpm")]
public sealed class AccessRateAccountRecord
{
    [Column("meter_id"), PrimaryKey] public long MeterId { get; set; }
    [Column("amount")] public decimal Amount { get; set; }
    [Column("period_days")] public int PeriodDays { get; set; }
    [Column("next_due")] public DateOnly NextDue { get; set; }
    [Column("debt")] public decimal Debt { get; set; }
}

[Table("asset_types", Schema = "mpm")]
public sealed class AssetTypeRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("price")] public decimal Price { get; set; }
}

[Table("asset_sales", Schema = "mpm")]
public sealed class AssetSaleRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("customer_id")] public long CustomerId { get; set; }
    [Column("asset_type_id")] public long AssetTypeId { get; set; }
    [Column("total_cost")] public decimal TotalCost { get; set; }
    [Column("down_payment")] public decimal DownPayment { get; set; }
    [Column("rate_count")] public int RateCount { get; set; }
    [Column("rate_period"), NotNull] public string RatePeriod { get; set; } = "";
    [Column("first_payment_date")] public DateOnly FirstPaymentDate { get; set; }
    [Column("sold_at")] public DateTimeOffset SoldAt { get; set; }
}

[Table("asset_rates", Schema = "mpm")]
public sealed class AssetRateRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("asset_sale_id")] public long AssetSaleId { get; set; }
    [Column("number")] public int Number { get; set; }
    [Column("due_date")] public DateOnly DueDate { get; set; }
    [Column("amount")] public decimal Amount { get; set; }
    [Column("paid")] public decimal Paid { get; set; }
}

[Table("meter_readings", Schema = "mpm")]
public sealed class MeterReadingRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("meter_id")] public long MeterId { get; set; }
    [Column("read_at")] public DateTimeOffset ReadAt { get; set; }
    [Column("consumption_kwh")] public decimal ConsumptionKWh { get; set; }
}

[Table("operator_settings", Schema = "mpm")]
public sealed class OperatorSettingRecord
{
    [Column("key"), PrimaryKey] public string Key { get; set; } = "";
    [Column("value"), NotNull] public string Value { get; set; } = "";
}

[Table("meter_types", Schema = "mpm")]
public sealed class MeterTypeRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("online")] public bool Online { get; set; }
    [Column("phase")] public int Phase { get; set; }
    [Column("max_current")] public int MaxCurrent { get; set; }
}
