using LinqToDB;
using LinqToDB.Data;

namespace MPM.Data;

/// <summary>A linq2db connection for one unit of work (a request, a job, a CLI verb).</summary>
public sealed partial class MpmDb(DataOptions options) : DataConnection(options)
{
    private static readonly BulkCopyOptions MultipleRows = new() { BulkCopyType = BulkCopyType.MultipleRows };

    /// <summary>Inserts the rows with one multi-row INSERT (in the caller's transaction, if any); nothing for none.</summary>
    public async Task InsertRowsAsync<T>(IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var list = rows as IReadOnlyCollection<T> ?? rows.ToList();
        if (list.Count > 0)
        {
            await this.BulkCopyAsync(MultipleRows, list, cancellationToken);
        }
    }

    public ITable<UserRecord> Users => this.GetTable<UserRecord>();

    public ITable<BearerTokenRecord> BearerTokens => this.GetTable<BearerTokenRecord>();

    public ITable<ApiKeyRecord> ApiKeys => this.GetTable<ApiKeyRecord>();

    public ITable<PluginSettingsRecord> PluginSettings => this.GetTable<PluginSettingsRecord>();

    public ITable<DataProtectionKeyRecord> DataProtectionKeys => this.GetTable<DataProtectionKeyRecord>();

    public ITable<AuditRecord> AuditLog => this.GetTable<AuditRecord>();

    public ITable<ClusterRecord> Clusters => this.GetTable<ClusterRecord>();

    public ITable<MiniGridRecord> MiniGrids => this.GetTable<MiniGridRecord>();

    public ITable<VillageRecord> Villages => this.GetTable<VillageRecord>();

    public ITable<ConnectionTypeRecord> ConnectionTypes => this.GetTable<ConnectionTypeRecord>();

    public ITable<ConnectionGroupRecord> ConnectionGroups => this.GetTable<ConnectionGroupRecord>();

    public ITable<TariffRecord> Tariffs => this.GetTable<TariffRecord>();

    public ITable<TariffComponentRecord> TariffComponents => this.GetTable<TariffComponentRecord>();

    public ITable<ManufacturerRecord> Manufacturers => this.GetTable<ManufacturerRecord>();

    public ITable<CustomerRecord> Customers => this.GetTable<CustomerRecord>();

    public ITable<AddressRecord> Addresses => this.GetTable<AddressRecord>();

    public ITable<MeterRecord> Meters => this.GetTable<MeterRecord>();

    public ITable<MeterTypeRecord> MeterTypes => this.GetTable<MeterTypeRecord>();

    public ITable<AccessRateAccountRecord> AccessRateAccounts => this.GetTable<AccessRateAccountRecord>();

    public ITable<AssetTypeRecord> AssetTypes => this.GetTable<AssetTypeRecord>();

    public ITable<AssetSaleRecord> AssetSales => this.GetTable<AssetSaleRecord>();

    public ITable<AssetRateRecord> AssetRates => this.GetTable<AssetRateRecord>();

    public ITable<MeterReadingRecord> MeterReadings => this.GetTable<MeterReadingRecord>();

    public ITable<OperatorSettingRecord> OperatorSettings => this.GetTable<OperatorSettingRecord>();

    public ITable<TransactionRecord> Transactions => this.GetTable<TransactionRecord>();

    public ITable<AllocationRecord> Allocations => this.GetTable<AllocationRecord>();

    public ITable<TokenRecord> Tokens => this.GetTable<TokenRecord>();

    public ITable<TransactionEventRecord> TransactionEvents => this.GetTable<TransactionEventRecord>();

    public ITable<ProviderOutboxRecord> ProviderOutbox => this.GetTable<ProviderOutboxRecord>();

    public ITable<SmsMessageRecord> SmsMessages => this.GetTable<SmsMessageRecord>();

    public ITable<SmsTemplateRecord> SmsTemplates => this.GetTable<SmsTemplateRecord>();

    public ITable<IntakeRefusalRecord> IntakeRefusals => this.GetTable<IntakeRefusalRecord>();
}
