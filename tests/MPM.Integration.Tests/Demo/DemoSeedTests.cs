using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MPM.Data;
using MPM.Web.Demo;
using MPM.Web.Features.AccessRates;
using MPM.Web.Features.Customers;
using MPM.Web.Settings;
using Xunit;

namespace MPM.Integration.Tests.Demo;

/// <summary>A database seeded once by <c>demo seed</c> through the CLI runner.</summary>
public sealed class SeededDemo : IAsyncLifetime
{
    public const int Customers = 150;

    public DemoTestHost Host { get; private set; } = null!;

    public DateTimeOffset SeededAfter { get; private set; }

    public (int Code, string Output, string Error) Run { get; private set; }

    public async Task InitializeAsync()
    {
        Host = await DemoTestHost.StartAsync();
        SeededAfter = DateTimeOffset.UtcNow;
        Run = await Host.RunAsync("demo", "seed", "--customers", Customers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--months", "4");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class DemoSeedTests(SeededDemo demo) : IClassFixture<SeededDemo>
{
    [Fact]
    public async Task Seeds_the_places_groups_tariffs_and_a_customer_with_a_meter_each()
    {
        Assert.Equal(0, demo.Run.Code);
        Assert.Contains($"{SeededDemo.Customers} customers with meters", demo.Run.Output);
        Assert.Equal(2, await CountAsync("mpm.clusters WHERE area_geojson LIKE '{\"type\":\"Polygon\"%'"));
        Assert.Equal(5, await CountAsync("mpm.mini_grids"));
        Assert.True(await CountAsync("mpm.villages") >= 5);
        Assert.Equal(SeededDemo.Customers, await CountAsync("mpm.customers"));
        Assert.Equal(SeededDemo.Customers, await CountAsync("mpm.meters"));
        Assert.Equal(0, await CountAsync("mpm.customers c WHERE (SELECT count(*) FROM mpm.meters m WHERE m.customer_id = c.id) <> 1"));
        Assert.Equal(0, await CountAsync("mpm.customers c WHERE (SELECT count(*) FROM mpm.addresses a WHERE a.customer_id = c.id AND a.is_primary) <> 1"));
        Assert.Equal(4, await CountAsync("mpm.connection_types"));
        Assert.Equal(1, await CountAsync("mpm.tariffs WHERE access_rate_period_days = 7"));
        Assert.Equal(1, await CountAsync("mpm.tariffs t WHERE EXISTS (SELECT 1 FROM mpm.tariff_components c WHERE c.tariff_id = t.id)"));
        Assert.Equal(1, await CountAsync("mpm.tariffs WHERE minimum_purchase > 0"));
        Assert.True(await CountAsync("mpm.asset_sales") > 0);
        Assert.Equal("Ziwa Power (demo)", await demo.Host.Database.ScalarAsync<string>("SELECT value FROM mpm.operator_settings WHERE key = 'operator.name'"));
    }

    [Fact]
    public async Task Every_meter_on_an_access_rate_tariff_has_an_account_with_the_tariffs_terms()
    {
        var onAccessRate = await CountAsync("mpm.meters m JOIN mpm.tariffs t ON t.id = m.tariff_id WHERE t.access_rate_amount IS NOT NULL");
        Assert.True(onAccessRate > 0);
        Assert.Equal(onAccessRate, await CountAsync("mpm.access_rate_accounts"));
        Assert.Equal(0, await CountAsync("""
            mpm.access_rate_accounts a JOIN mpm.meters m ON m.id = a.meter_id JOIN mpm.tariffs t ON t.id = m.tariff_id
            WHERE a.amount <> t.access_rate_amount OR a.period_days <> t.access_rate_period_days
            """));
    }

    [Fact]
    public async Task The_seeded_debts_are_what_the_accrual_job_would_have_made()
    {
        await using var scope = demo.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var before = await db.AccessRateAccounts.OrderBy(a => a.MeterId).ToListAsync();

        // A clock from before the seed: the seed accrued up to a day no earlier than this one's.
        await new AccessRateAccrualJob(db, new FixedClock(demo.SeededAfter), NullLogger<AccessRateAccrualJob>.Instance).RunAsync(CancellationToken.None);

        var after = await db.AccessRateAccounts.OrderBy(a => a.MeterId).ToListAsync();
        Assert.Equal(before.Select(a => (a.MeterId, a.NextDue, a.Debt)), after.Select(a => (a.MeterId, a.NextDue, a.Debt)));
        Assert.Contains(after, a => a.Debt > 0);
    }

    [Fact]
    public async Task The_payment_history_follows_the_allocation_rule_and_feeds_the_dashboards()
    {
        Assert.Matches("[1-9][0-9]* past payments", demo.Run.Output);
        Assert.True(await CountAsync("mpm.transactions WHERE status = 'confirmed'") > SeededDemo.Customers);
        // Confirmed: allocations sum to the amount and kWh is what the energy part buys at the meter's tariff.
        Assert.Equal(0, await CountAsync("""
            mpm.transactions t WHERE t.status = 'confirmed' AND t.amount <> (SELECT sum(a.amount) FROM mpm.allocations a WHERE a.transaction_id = t.id)
            """));
        Assert.Equal(0, await CountAsync("""
            mpm.transactions t JOIN mpm.meters m ON m.id = t.meter_id JOIN mpm.tariffs tr ON tr.id = m.tariff_id
            WHERE t.status = 'confirmed' AND t.energy_kwh <> floor(coalesce((SELECT sum(a.amount) FROM mpm.allocations a WHERE a.transaction_id = t.id AND a.type = 'energy'), 0)
                / (tr.price_per_kwh + coalesce((SELECT sum(c.price_per_kwh) FROM mpm.tariff_components c WHERE c.tariff_id = tr.id), 0)) * 10) / 10
            """));
        // Cancelled exactly when below the minimum purchase (no debts in the way: the history pays no asset rates), with nothing allocated.
        Assert.Equal(0, await CountAsync("""
            mpm.transactions t JOIN mpm.meters m ON m.id = t.meter_id JOIN mpm.tariffs tr ON tr.id = m.tariff_id
            WHERE (t.status = 'cancelled') <> (t.amount - coalesce((SELECT sum(a.amount) FROM mpm.allocations a WHERE a.transaction_id = t.id AND a.type = 'access-rate'), 0) < tr.minimum_purchase)
               OR (t.status = 'cancelled' AND EXISTS (SELECT 1 FROM mpm.allocations a WHERE a.transaction_id = t.id))
            """));
        Assert.True(await CountAsync("mpm.allocations WHERE type = 'access-rate'") > 0);
        Assert.Equal(0, await CountAsync("mpm.access_rate_accounts WHERE debt < 0"));
        Assert.Equal(0, await CountAsync("mpm.tokens"));
        Assert.Equal(
            await demo.Host.Database.ScalarAsync<decimal>("SELECT sum(amount) FROM mpm.transactions WHERE status = 'confirmed'"),
            await demo.Host.Database.ScalarAsync<decimal>("SELECT sum(revenue) FROM mpm.dashboard_daily"));
        Assert.Equal(
            await demo.Host.Database.ScalarAsync<decimal>("SELECT sum(amount) FROM mpm.allocations WHERE type = 'access-rate'"),
            await demo.Host.Database.ScalarAsync<decimal>("SELECT sum(access_rate_amount) FROM mpm.dashboard_daily"));
    }

    [Fact]
    public async Task Meter_numbers_are_valid_sts_numbers_of_the_sts_manufacturer()
    {
        await using var scope = demo.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var manufacturer = await db.Manufacturers.SingleAsync();
        Assert.Equal("sts", manufacturer.TokenGenerator);
        var meters = await db.Meters.ToListAsync();
        Assert.All(meters, m =>
        {
            Assert.Equal(manufacturer.Id, m.ManufacturerId);
            Assert.Matches("^47[0-9]{9}$", m.SerialNumber);
            Assert.Equal(StsMeterNumber.LuhnCheckDigit(m.SerialNumber[..10]), m.SerialNumber[10] - '0');
        });
    }

    [Fact]
    public async Task The_sts_manufacturer_settings_decrypt_to_the_demo_vending_key()
    {
        await using var scope = demo.Host.Services.CreateAsyncScope();
        var manufacturerId = await scope.ServiceProvider.GetRequiredService<MpmDb>().Manufacturers.Select(m => m.Id).SingleAsync();
        var stored = await demo.Host.Database.ScalarAsync<string>($"SELECT values FROM mpm.plugin_settings WHERE scope = 'manufacturer:{manufacturerId}'");
        Assert.DoesNotContain(ManufacturerSection.DemoVendingKey, stored);

        var settings = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().GetAsync("sts", PluginSettingsStore.ManufacturerScope(manufacturerId));

        Assert.Equal(ManufacturerSection.DemoVendingKey, settings["vendingKey"]);
        Assert.Equal(40, settings["vendingKey"]!.Length);
        Assert.Equal(("04", "11", "123457", "1", "1", "2", "2014"),
            (settings["keyGeneration"], settings["encryption"], settings["supplyGroupCode"], settings["tariffIndex"], settings["keyRevision"], settings["keyType"], settings["baseDate"]));
    }

    [Fact]
    public async Task The_search_text_is_what_registration_would_store()
    {
        await using var scope = demo.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var seeded = await db.Customers.OrderBy(c => c.Id).Select(c => new { c.Id, c.SearchText }).ToListAsync();

        foreach (var customer in seeded)
        {
            await CustomerSearchText.RefreshAsync(db, customer.Id, CancellationToken.None);
        }

        var refreshed = await db.Customers.OrderBy(c => c.Id).Select(c => new { c.Id, c.SearchText }).ToListAsync();
        Assert.Equal(refreshed, seeded);
        Assert.All(seeded, c => Assert.Matches("^[a-z]+ [a-z]+ \\+255[0-9]{9} ", c.SearchText));
    }

    [Fact]
    public async Task The_customer_search_finds_demo_customers_by_serial_village_and_surname()
    {
        await using var scope = demo.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var meter = await db.Meters.OrderBy(m => m.Id).Skip(SeededDemo.Customers / 2).FirstAsync();
        var customer = await db.Customers.SingleAsync(c => c.Id == meter.CustomerId);
        var village = await db.Villages.SingleAsync(v => v.Id == meter.VillageId);
        var directory = scope.ServiceProvider.GetRequiredService<CustomerDirectory>();

        var bySerial = await directory.SearchAsync(meter.SerialNumber, 1, 25, CustomerSort.Name);
        var byVillage = await directory.SearchAsync(village.Name.ToUpperInvariant(), 1, 100, CustomerSort.Name);
        var bySurname = await directory.SearchAsync(customer.Surname, 1, 100, CustomerSort.Name);

        var row = Assert.Single(bySerial.Items);
        Assert.Equal((customer.Id, village.Name, meter.SerialNumber), (row.Id, row.City, row.MeterSerials));
        Assert.Contains(byVillage.Items, r => r.Id == customer.Id);
        Assert.All(byVillage.Items, r => Assert.Equal(village.Name, r.City));
        Assert.Contains(bySurname.Items, r => r.Id == customer.Id);
    }

    [Fact]
    public async Task A_second_seed_is_refused_with_exit_code_2_and_changes_nothing()
    {
        var (code, output, error) = await demo.Host.RunAsync("demo", "seed", "--customers", "5");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("not empty", error);
        Assert.Contains($"customers: {SeededDemo.Customers}", error);
        Assert.Equal(SeededDemo.Customers, await CountAsync("mpm.customers"));
        Assert.Equal(2, await CountAsync("mpm.clusters"));
    }

    [Theory]
    [InlineData("seed", "--customers", "0")]
    [InlineData("seed", "--customers", "many")]
    [InlineData("seed", "--months", "0")]
    [InlineData("seed", "--colour", "red")]
    [InlineData("plant")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var (code, _, error) = await demo.Host.RunAsync(["demo", .. args]);

        Assert.Equal(2, code);
        Assert.StartsWith("demo: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_and_priced_maintenance_jobs_spread_over_the_months_feed_the_payment_requests_report()
    {
        Assert.Equal(1, await CountAsync("mpm.ticket_categories WHERE out_sourced"));
        Assert.Equal(3, await CountAsync("mpm.contractors"));
        Assert.True(await CountAsync("mpm.tickets WHERE contractor_id IS NULL AND customer_id IS NOT NULL AND mini_grid_id IS NOT NULL") >= 10);
        Assert.True(await CountAsync("mpm.ticket_comments") > 0);
        // Every maintenance job has a contractor, a price and an out-sourced category, and they cover at least three months.
        Assert.Equal(0, await CountAsync("mpm.tickets t JOIN mpm.ticket_categories c ON c.id = t.category_id WHERE c.out_sourced <> (t.contractor_id IS NOT NULL) OR (t.contractor_id IS NOT NULL) <> (t.price IS NOT NULL)"));
        Assert.True(await CountAsync("(SELECT DISTINCT date_trunc('month', created_at) FROM mpm.tickets WHERE contractor_id IS NOT NULL) m") >= 3);
        Assert.Equal(0, await CountAsync("mpm.tickets WHERE (status = 'closed') <> (closed_at IS NOT NULL) OR closed_at < created_at"));

        await using var scope = demo.Host.Services.CreateAsyncScope();
        var month = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1);
        var report = await scope.ServiceProvider.GetRequiredService<MPM.Web.Features.Reports.ReportData>().BuildAsync(
            MPM.Core.Domain.ReportKinds.PaymentRequests, MPM.Core.Domain.ReportPeriod.Of(MPM.Core.Domain.ReportKinds.PaymentRequests, month));
        var table = report.Sections.Single().Tables.Single();
        Assert.NotEmpty(table.Rows);
        Assert.Equal(table.Rows.Sum(r => (decimal)r[3]!), table.Totals![3]);
    }

    private Task<int> CountAsync(string fromWhere) => demo.Host.Database.ScalarAsync<int>($"SELECT count(*) FROM {fromWhere}");
}
