using System.Net;
using System.Text.RegularExpressions;
using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Integration.Tests.CustomerPages;

/// <summary>
/// A test class's own database and host, with a mini-grid and its village, two tariffs (one with a weekly access rate
/// of 500), a manufacturer, an asset type priced 1000, and a manager and a viewer logged in.
/// </summary>
public sealed class CustomerPagesFixture : IAsyncLifetime
{
    public const string ManagerEmail = "manager@example.com";
    public const string ViewerEmail = "viewer@example.com";
    private const string Password = "correct-horse-battery";

    private TestDatabase _database = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public HttpClient Manager { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public long MiniGridId { get; private set; }

    public long VillageId { get; private set; }

    public long PlainTariffId { get; private set; }

    public long AccessTariffId { get; private set; }

    public long ManufacturerId { get; private set; }

    public long PumpTypeId { get; private set; }

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(_database);
        await Factory.AddUserAsync(ManagerEmail, Password, Roles.Manager);
        await Factory.AddUserAsync(ViewerEmail, Password, Roles.Viewer);
        await WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Lake Zone", CreatedAt = now });
            MiniGridId = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba MG", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
            PlainTariffId = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Household", PricePerKWh = 500m, CreatedAt = now });
            AccessTariffId = await db.InsertWithInt64IdentityAsync(new TariffRecord
            {
                Name = "Business weekly", PricePerKWh = 450m, AccessRateAmount = 500m, AccessRatePeriodDays = 7, CreatedAt = now,
            });
            ManufacturerId = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
            PumpTypeId = await db.InsertWithInt64IdentityAsync(new AssetTypeRecord { Name = "Water pump", Price = 1000m });
            return 0;
        });
        VillageId = await AddVillageAsync("Kibaoni");
        Manager = await Factory.LoginAsync(ManagerEmail, Password);
        Viewer = await Factory.LoginAsync(ViewerEmail, Password);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    public async Task<T> WithDbAsync<T>(Func<MpmDb, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MpmDb>());
    }

    public Task<long> AddVillageAsync(string name) =>
        WithDbAsync(db => db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = MiniGridId, Name = name, Latitude = -1.30m, Longitude = 31.80m, CreatedAt = DateTimeOffset.UtcNow }));

    /// <summary>A customer and their meter, through the registration service.</summary>
    public async Task<(long CustomerId, long MeterId)> RegisterAsync(
        string name, string surname, string phone, string serial, long? villageId = null, long? tariffId = null, decimal? latitude = null, decimal? longitude = null)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput(name, surname, phone, null, null),
            new AddressInput(villageId ?? VillageId, "Main road", latitude, longitude),
            new MeterInput(serial, ManufacturerId, tariffId ?? PlainTariffId, null, null)));
        return result.Succeeded
            ? (result.CustomerId!.Value, result.MeterId!.Value)
            : throw new InvalidOperationException($"registration failed: {string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}"))} {result.Conflict}");
    }

    /// <summary>Letters only (names need letters), unlikely to occur in any other test's data.</summary>
    public static string UniqueLetters(int length = 8) =>
        new(Enumerable.Range(0, length).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    public static string UniqueSerial() => $"T{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";

    public static string UniquePhone() => $"+2557{Random.Shared.Next(10_000_000, 99_999_999)}";

    public static async Task<string> GetPageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The ids of the customers a list page links to, in the table's order.</summary>
    public static IReadOnlyList<long> LinkedIds(string html, string tableId, string page) =>
        Regex.Matches(TableOf(html, tableId), $"href=\"/{page}/(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static string TableOf(string html, string tableId) =>
        Regex.Match(html, $"<table[^>]*id=\"{tableId}\".*?</table>", RegexOptions.Singleline) is { Success: true } m
            ? m.Value
            : throw new InvalidOperationException($"no table {tableId} on the page");

    public static string Decode(string html) => WebUtility.HtmlDecode(html);
}
