using LinqToDB.Mapping;

namespace MPM.Data;

[Table("users", Schema = "mpm")]
public sealed class UserRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("email"), NotNull] public string Email { get; set; } = "";
    [Column("password_hash"), NotNull] public string PasswordHash { get; set; } = "";
    [Column("role"), NotNull] public string Role { get; set; } = "";
    [Column("failed_logins")] public int FailedLogins { get; set; }
    [Column("locked_until")] public DateTimeOffset? LockedUntil { get; set; }
    [Column("disabled")] public bool Disabled { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("api_keys", Schema = "mpm")]
public sealed class ApiKeyRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("key_prefix"), NotNull] public string KeyPrefix { get; set; } = "";
    [Column("key_hash"), NotNull] public byte[] KeyHash { get; set; } = [];
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("revoked_at")] public DateTimeOffset? RevokedAt { get; set; }
    [Column("created_by")] public string? CreatedBy { get; set; }
    [Column("revoked_by")] public string? RevokedBy { get; set; }
}

[Table("plugin_settings", Schema = "mpm")]
public sealed class PluginSettingsRecord
{
    [Column("plugin_id"), PrimaryKey(0)] public string PluginId { get; set; } = "";
    [Column("scope"), PrimaryKey(1)] public string Scope { get; set; } = "";
    [Column("values", DataType = LinqToDB.DataType.BinaryJson), NotNull] public string Values { get; set; } = "{}";
    [Column("updated_at")] public DateTimeOffset UpdatedAt { get; set; }
}

[Table("data_protection_keys", Schema = "mpm")]
public sealed class DataProtectionKeyRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("friendly_name"), NotNull] public string FriendlyName { get; set; } = "";
    [Column("xml"), NotNull] public string Xml { get; set; } = "";
}

[Table("audit_log", Schema = "mpm")]
public sealed class AuditRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("at")] public DateTimeOffset At { get; set; }
    [Column("actor"), NotNull] public string Actor { get; set; } = "";
    [Column("action"), NotNull] public string Action { get; set; } = "";
    [Column("details"), NotNull] public string Details { get; set; } = "";
}

[Table("bearer_tokens", Schema = "mpm")]
public sealed class BearerTokenRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("user_id")] public long UserId { get; set; }
    [Column("audience"), NotNull] public string Audience { get; set; } = "";
    [Column("token_hash"), NotNull] public byte[] TokenHash { get; set; } = [];
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("expires_at")] public DateTimeOffset ExpiresAt { get; set; }
    [Column("revoked_at")] public DateTimeOffset? RevokedAt { get; set; }
}
