using System.Diagnostics;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Web.Plugins;
using MPM.Web.Settings;

namespace MPM.Web.Demo;

/// <param name="PaymentHistory">Whether customers get their past payments (a benchmark may bring its own ledger).</param>
public sealed record DemoOptions(int Customers = DemoOptions.DefaultCustomers, int Months = DemoOptions.DefaultMonths, int Seed = DemoOptions.DefaultSeed, bool PaymentHistory = true)
{
    public const int DefaultCustomers = 300;
    public const int DefaultMonths = 6;
    public const int DefaultSeed = 2024;
}

public sealed record DemoSummary(string Operator, int Clusters, int MiniGrids, int Villages, int Tariffs, int Customers, int AccessRateAccounts, int AssetSales, int AssetRates, int Payments, TimeSpan Elapsed)
{
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"Demo operator '{Operator}' seeded in {Elapsed.TotalSeconds:0.0} s: {Clusters} clusters, {MiniGrids} mini-grids, {Villages} villages, {Tariffs} tariffs, " +
        $"{Customers} customers with meters, {AccessRateAccounts} access-rate accounts, {AssetSales} assets sold on {AssetRates} rates, {Payments} past payments.");
}

/// <summary>The database is not empty, or the demo cannot be made here: nothing was written.</summary>
public sealed class DemoRefusedException(string message) : Exception(message);

/// <summary>One part of the demo operator; it reads what earlier sections put in the context and adds its own.</summary>
public interface IDemoSection
{
    Task SeedAsync(DemoContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Fills an empty database with a believable operator, section by section, in one transaction: a run that fails or is
/// refused leaves nothing behind. The random source is seeded, so the same options on the same day give the same data.
/// </summary>
public sealed class DemoSeeder(MpmDb db, PluginSettingsStore settings, PluginHost plugins, TimeProvider clock)
{
    public async Task<DemoSummary> SeedAsync(DemoOptions options, CancellationToken cancellationToken = default)
    {
        if (plugins.Find(ManufacturerSection.TokenGenerator) is not { Status: PluginStatus.Active })
        {
            throw new DemoRefusedException($"the demo meters are STS meters: the '{ManufacturerSection.TokenGenerator}' plugin must be enabled in plugins.json");
        }

        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        // Holds off registrations and a second seeder until this one commits; also keeps the reserved id ranges ours.
        await db.ExecuteAsync("LOCK TABLE mpm.customers, mpm.addresses, mpm.meters, mpm.asset_sales, mpm.asset_rates IN EXCLUSIVE MODE", cancellationToken);
        await RefuseUnlessEmptyAsync(cancellationToken);

        var context = new DemoContext(options, clock.GetUtcNow(), await OperatorClock.TodayAsync(db, clock, cancellationToken));
        List<IDemoSection> sections =
        [
            new OperatorSection(db),
            new PlacesSection(db),
            new TariffsSection(db),
            new CustomerGroupsSection(db),
            new ManufacturerSection(db, settings),
            new CustomersSection(db),
            new AssetsSection(db),
            new PaymentProvidersSection(settings, plugins),
        ];
        if (options.PaymentHistory)
        {
            sections.Add(new PaymentHistorySection(db));
        }

        sections.Add(new TicketsSection(db));

        foreach (var section in sections)
        {
            await section.SeedAsync(context, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // Fresh statistics, so that the planner uses the search indexes right away rather than after autovacuum.
        await db.ExecuteAsync("ANALYZE mpm.customers, mpm.addresses, mpm.meters, mpm.access_rate_accounts, mpm.asset_sales, mpm.asset_rates, mpm.transactions, mpm.allocations, mpm.dashboard_daily, mpm.registrations_daily, mpm.tickets", cancellationToken);
        return new DemoSummary(
            context.OperatorName,
            context.Villages.Select(v => v.ClusterName).Distinct().Count(),
            context.Villages.Select(v => v.Record.MiniGridId).Distinct().Count(),
            context.Villages.Count,
            context.Tariffs.Count,
            context.Customers.Count,
            context.Customers.Count(c => c.Account is not null),
            context.AssetSales,
            context.AssetRates,
            context.Payments,
            stopwatch.Elapsed);
    }

    private async Task RefuseUnlessEmptyAsync(CancellationToken cancellationToken)
    {
        (string What, int Count)[] counts =
        [
            ("customers", await db.Customers.CountAsync(cancellationToken)),
            ("clusters", await db.Clusters.CountAsync(cancellationToken)),
            ("tariffs", await db.Tariffs.CountAsync(cancellationToken)),
            ("manufacturers", await db.Manufacturers.CountAsync(cancellationToken)),
            ("connection types", await db.ConnectionTypes.CountAsync(cancellationToken)),
            ("asset types", await db.AssetTypes.CountAsync(cancellationToken)),
        ];
        var present = counts.Where(c => c.Count > 0).Select(c => $"{c.What}: {c.Count}").ToList();
        if (present.Count > 0)
        {
            throw new DemoRefusedException($"the database is not empty ({string.Join(", ", present)}); demo seed only fills an empty database");
        }
    }
}

/// <summary>Bulk writes for the large sections: ids reserved up front, rows streamed with PostgreSQL binary COPY.</summary>
public static class DemoBulk
{
    private static readonly BulkCopyOptions Copy = new() { BulkCopyType = BulkCopyType.ProviderSpecific, KeepIdentity = true };

    /// <summary>The first of <paramref name="count"/> consecutive ids taken from the table's identity sequence.</summary>
    public static async Task<long> ReserveIdsAsync(MpmDb db, string table, int count, CancellationToken cancellationToken) =>
        count == 0 ? 0 : await db.ExecuteAsync<long>(
            "SELECT setval(pg_get_serial_sequence(@table, 'id'), nextval(pg_get_serial_sequence(@table, 'id')) + @count - 1) - @count + 1",
            cancellationToken,
            new DataParameter("table", table),
            new DataParameter("count", count));

    public static Task CopyAsync<T>(MpmDb db, IEnumerable<T> rows, CancellationToken cancellationToken) where T : class =>
        db.BulkCopyAsync(Copy, rows, cancellationToken);
}
