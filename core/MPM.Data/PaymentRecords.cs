using LinqToDB.Mapping;

namespace MPM.Data;

public static class TransactionStatus
{
    public const string Received = "received";
    public const string Processing = "processing";
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
}

[Table("transactions", Schema = "mpm")]
public sealed class TransactionRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("provider"), NotNull] public string Provider { get; set; } = "";
    [Column("provider_reference"), NotNull] public string ProviderReference { get; set; } = "";
    [Column("meter_id")] public long MeterId { get; set; }
    [Column("meter_serial"), NotNull] public string MeterSerial { get; set; } = "";
    [Column("customer_id")] public long CustomerId { get; set; }
    [Column("village_id")] public long VillageId { get; set; }
    [Column("mini_grid_id")] public long MiniGridId { get; set; }
    [Column("cluster_id")] public long ClusterId { get; set; }
    [Column("connection_type_id")] public long? ConnectionTypeId { get; set; }
    [Column("amount")] public decimal Amount { get; set; }
    [Column("currency"), NotNull] public string Currency { get; set; } = "";
    [Column("payer_phone")] public string? PayerPhone { get; set; }
    [Column("raw_data"), NotNull] public string RawData { get; set; } = "";
    [Column("status"), NotNull] public string Status { get; set; } = "";
    [Column("reason")] public string? Reason { get; set; }
    [Column("energy_kwh")] public decimal? EnergyKWh { get; set; }
    [Column("attempts")] public int Attempts { get; set; }
    [Column("next_attempt_at")] public DateTimeOffset NextAttemptAt { get; set; }
    [Column("claimed_until")] public DateTimeOffset? ClaimedUntil { get; set; }
    [Column("last_error")] public string? LastError { get; set; }
    [Column("received_at")] public DateTimeOffset ReceivedAt { get; set; }
    [Column("completed_at")] public DateTimeOffset? CompletedAt { get; set; }
}

[Table("allocations", Schema = "mpm")]
public sealed class AllocationRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("transaction_id")] public long TransactionId { get; set; }
    [Column("type"), NotNull] public string Type { get; set; } = "";
    [Column("amount")] public decimal Amount { get; set; }
    [Column("asset_rate_id")] public long? AssetRateId { get; set; }
    [Column("description"), NotNull] public string Description { get; set; } = "";
    [Column("reverses_id")] public long? ReversesId { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("tokens", Schema = "mpm")]
public sealed class TokenRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("transaction_id")] public long TransactionId { get; set; }
    [Column("meter_id")] public long MeterId { get; set; }
    [Column("value"), NotNull] public string Value { get; set; } = "";
    [Column("kind"), NotNull] public string Kind { get; set; } = "";
    [Column("amount")] public decimal Amount { get; set; }
    [Column("unit"), NotNull] public string Unit { get; set; } = "";
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("transaction_events", Schema = "mpm")]
public sealed class TransactionEventRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("transaction_id")] public long TransactionId { get; set; }
    [Column("at")] public DateTimeOffset At { get; set; }
    [Column("event"), NotNull] public string Event { get; set; } = "";
    [Column("details")] public string? Details { get; set; }
}

[Table("provider_outbox", Schema = "mpm")]
public sealed class ProviderOutboxRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("transaction_id")] public long TransactionId { get; set; }
    [Column("provider"), NotNull] public string Provider { get; set; } = "";
    [Column("status"), NotNull] public string Status { get; set; } = "";
    [Column("attempts")] public int Attempts { get; set; }
    [Column("next_attempt_at")] public DateTimeOffset NextAttemptAt { get; set; }
    [Column("claimed_until")] public DateTimeOffset? ClaimedUntil { get; set; }
    [Column("response")] public string? Response { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("completed_at")] public DateTimeOffset? CompletedAt { get; set; }
}

public static class SmsStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Received = "received";
}

[Table("sms_messages", Schema = "mpm")]
public sealed class SmsMessageRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("direction"), NotNull] public string Direction { get; set; } = "";
    [Column("phone"), NotNull] public string Phone { get; set; } = "";
    [Column("customer_id")] public long? CustomerId { get; set; }
    [Column("transaction_id")] public long? TransactionId { get; set; }
    [Column("body"), NotNull] public string Body { get; set; } = "";
    [Column("status"), NotNull] public string Status { get; set; } = "";
    [Column("gateway")] public string? Gateway { get; set; }
    [Column("gateway_message_id")] public string? GatewayMessageId { get; set; }
    [Column("reason")] public string? Reason { get; set; }
    [Column("attempts")] public int Attempts { get; set; }
    [Column("next_attempt_at")] public DateTimeOffset NextAttemptAt { get; set; }
    [Column("claimed_until")] public DateTimeOffset? ClaimedUntil { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
}

[Table("sms_templates", Schema = "mpm")]
public sealed class SmsTemplateRecord
{
    [Column("key"), PrimaryKey] public string Key { get; set; } = "";
    [Column("body"), NotNull] public string Body { get; set; } = "";
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
}

[Table("intake_refusals", Schema = "mpm")]
public sealed class IntakeRefusalRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("provider"), NotNull] public string Provider { get; set; } = "";
    [Column("provider_reference"), NotNull] public string ProviderReference { get; set; } = "";
    [Column("meter_serial"), NotNull] public string MeterSerial { get; set; } = "";
    [Column("amount")] public decimal? Amount { get; set; }
    [Column("reason_code"), NotNull] public string ReasonCode { get; set; } = "";
    [Column("message"), NotNull] public string Message { get; set; } = "";
    [Column("at")] public DateTimeOffset At { get; set; }
}
