using LinqToDB;
using LinqToDB.Data;

namespace MPM.Data;

/// <summary>A linq2db connection for one unit of work (a request, a job, a CLI verb).</summary>
public sealed class MpmDb(DataOptions options) : DataConnection(options)
{
    public ITable<UserRecord> Users => this.GetTable<UserRecord>();

    public ITable<ApiKeyRecord> ApiKeys => this.GetTable<ApiKeyRecord>();

    public ITable<PluginSettingsRecord> PluginSettings => this.GetTable<PluginSettingsRecord>();

    public ITable<DataProtectionKeyRecord> DataProtectionKeys => this.GetTable<DataProtectionKeyRecord>();

    public ITable<AuditRecord> AuditLog => this.GetTable<AuditRecord>();
}
