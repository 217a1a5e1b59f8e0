using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Integration.Tests.Dashboards;

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboards";
}

/// <summary>
/// A small fixed operator, the clock stopped at Sunday 15 March 2026, 10:00 in Dar es Salaam (UTC+3). Cluster Kagera
/// with MG-1 (Asha, Household; Baraka, Business), MG-2 (Chausiku, Household) and MG-3 (nobody); cluster Mara with MG-4
/// (Daudi, Household). All four meters are registered "now". Transactions (local times):
/// <list type="bullet">
/// <item>Asha 1,000 on 2 Mar 08:00, confirmed the way the pipeline does it (received, allocated: access rate 300 and
/// energy 700, then confirmed), 1.4 kWh;</item>
/// <item>Asha 500 on 10 Mar, written confirmed with its allocation (energy 500) after it, 1.0 kWh;</item>
/// <item>Baraka 2,000 on 14 Mar 23:30 (20:30 UTC), 4.0 kWh; Baraka 700 on 5 Mar, cancelled;</item>
/// <item>Chausiku 300 on 6 Mar, received (not yet processed); 400 on 28 Feb 23:30 (February); 250 on 1 Mar 00:30 (28 Feb
/// 21:30 UTC: March for the operator);</item>
/// <item>Daudi 800 on 3 Mar.</item>
/// </list>
/// For 1–15 March: MG-1 3,500 (3 payments, 6.4 kWh, energy 3,200, access rate 300), MG-2 250, MG-3 0, Kagera 3,750,
/// MG-4 and Mara 800; everything 4,550 in 5 payments.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ViewerEmail = "viewer@example.com";
    public const string ManagerEmail = "manager@example.com";
    public const string Password = "correct-horse-battery";
    public static readonly TimeSpan Local = TimeSpan.FromHours(3);
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 0, 0, Local);

    private TestDatabase _database = null!;

    public FakeTimeProvider Clock { get; } = new(Now);

    public MpmWebFactory Factory { get; private set; } = null!;

    public string ApiKey { get; private set; } = "";

    /// <summary>The fixture's database, for a CLI process of its own.</summary>
    public string ConnectionString => _database.ConnectionString;

    public long Kagera { get; private set; }

    public long Mara { get; private set; }

    public long Mg1 { get; private set; }

    public long Mg2 { get; private set; }

    public long Mg3 { get; private set; }

    public long Mg4 { get; private set; }

    public long Household { get; private set; }

    public long Business { get; private set; }

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Factory = new ClockedFactory(_database, Clock);
        await Factory.AddUserAsync(ViewerEmail, Password, Roles.Viewer);
        await Factory.AddUserAsync(ManagerEmail, Password, Roles.Manager);
        ApiKey = await Factory.AddApiKeyAsync();

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var registration = scope.ServiceProvider.GetRequiredService<Registration>();
        var now = Clock.GetUtcNow();
        Kagera = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Kagera", Latitude = -1.3m, Longitude = 31.6m, CreatedAt = now });
        Mara = await db.InsertWithInt64IdentityAsync(new ClusterRecord
        {
            Name = "Mara", Latitude = -1.8m, Longitude = 34.0m, CreatedAt = now,
            AreaGeoJson = """{"type":"Polygon","coordinates":[[[33.8,-1.6],[34.2,-1.6],[34.2,-2.0],[33.8,-2.0],[33.8,-1.6]]]}""",
        });
        var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Household", PricePerKWh = 500m, CreatedAt = now });
        var manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
        Household = await db.InsertWithInt64IdentityAsync(new ConnectionTypeRecord { Name = "Household" });
        Business = await db.InsertWithInt64IdentityAsync(new ConnectionTypeRecord { Name = "Business" });
        Mg1 = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = Kagera, Name = "MG-1", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        Mg2 = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = Kagera, Name = "MG-2", Latitude = -1.25m, Longitude = 31.42m, CreatedAt = now });
        Mg3 = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = Kagera, Name = "MG-3", Latitude = -1.10m, Longitude = 31.60m, CreatedAt = now });
        Mg4 = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = Mara, Name = "MG-4", Latitude = -1.80m, Longitude = 34.00m, CreatedAt = now });

        async Task<(long Customer, long Meter, long MiniGrid, long Cluster, long Group)> Register(long miniGrid, long cluster, long group, string name, string serial)
        {
            var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = $"{name}'s village", Latitude = -1.3m, Longitude = 31.8m, CreatedAt = now });
            var result = await registration.RegisterAsync(new RegistrationRequest(
                new CustomerInput(name, "Test", $"+2557120000{serial[^2..]}", null, null), new AddressInput(village, null, null, null), new MeterInput(serial, manufacturer, tariff, group, null)));
            return result.Succeeded ? (result.CustomerId!.Value, result.MeterId!.Value, miniGrid, cluster, group) : throw new InvalidOperationException(string.Join("; ", result.Errors.Values));
        }

        var asha = await Register(Mg1, Kagera, Household, "Asha", "SN-01");
        var baraka = await Register(Mg1, Kagera, Business, "Baraka", "SN-02");
        var chausiku = await Register(Mg2, Kagera, Household, "Chausiku", "SN-03");
        var daudi = await Register(Mg4, Mara, Household, "Daudi", "SN-04");

        var reference = 0;
        async Task<long> Pay((long Customer, long Meter, long MiniGrid, long Cluster, long Group) who, string status, decimal amount, DateTimeOffset receivedAt, decimal? kwh)
        {
            var meter = await db.Meters.SingleAsync(m => m.Id == who.Meter);
            return await db.InsertWithInt64IdentityAsync(new TransactionRecord
            {
                Provider = "cash", ProviderReference = $"R-{++reference}", MeterId = meter.Id, MeterSerial = meter.SerialNumber, CustomerId = who.Customer,
                VillageId = meter.VillageId, MiniGridId = who.MiniGrid, ClusterId = who.Cluster, ConnectionTypeId = who.Group, Amount = amount, Currency = "TZS",
                RawData = "{}", Status = status, EnergyKWh = kwh, NextAttemptAt = receivedAt.ToUniversalTime(), ReceivedAt = receivedAt.ToUniversalTime(),
            });
        }

        Task Allocate(long transaction, string type, decimal amount) =>
            db.InsertAsync(new AllocationRecord { TransactionId = transaction, Type = type, Amount = amount, Description = type, CreatedAt = now });

        // As the pipeline does it: allocated while received, then confirmed.
        var first = await Pay(asha, TransactionStatus.Received, 1000m, new(2026, 3, 2, 8, 0, 0, Local), 1.4m);
        await Allocate(first, "access-rate", 300m);
        await Allocate(first, "energy", 700m);
        await db.Transactions.Where(t => t.Id == first).Set(t => t.Status, TransactionStatus.Confirmed).UpdateAsync();

        // Written confirmed, its allocation after it (a bulk load).
        await Allocate(await Pay(asha, TransactionStatus.Confirmed, 500m, new(2026, 3, 10, 12, 0, 0, Local), 1.0m), "energy", 500m);
        await Allocate(await Pay(baraka, TransactionStatus.Confirmed, 2000m, new(2026, 3, 14, 23, 30, 0, Local), 4.0m), "energy", 2000m);
        await Pay(baraka, TransactionStatus.Cancelled, 700m, new(2026, 3, 5, 9, 0, 0, Local), null);
        await Pay(chausiku, TransactionStatus.Received, 300m, new(2026, 3, 6, 9, 0, 0, Local), null);
        await Pay(chausiku, TransactionStatus.Confirmed, 400m, new(2026, 2, 28, 23, 30, 0, Local), 0.8m);
        await Pay(chausiku, TransactionStatus.Confirmed, 250m, new(2026, 3, 1, 0, 30, 0, Local), 0.5m);
        await Pay(daudi, TransactionStatus.Confirmed, 800m, new(2026, 3, 3, 9, 0, 0, Local), 1.6m);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    public HttpClient Api()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private sealed class ClockedFactory(TestDatabase database, TimeProvider clock) : MpmWebFactory(database)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Pipeline:Enabled", "false");
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
