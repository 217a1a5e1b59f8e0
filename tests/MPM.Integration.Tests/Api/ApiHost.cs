using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Api;

/// <summary>
/// The real host on a database of its own, an API client holding a valid key, and a place, tariffs, customer groups and
/// an STS manufacturer to register meters against (made through the API itself).
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string VendingKey = "0123456789ABCDEF0123456789ABCDEF01234567";

    public TestDatabase Database { get; private set; } = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public long ClusterId { get; private set; }

    public long MiniGridId { get; private set; }

    public long VillageId { get; private set; }

    public string VillageName { get; } = Unique("Village");

    /// <summary>500 per kWh, with an access rate of 1000 every 7 days.</summary>
    public long AccessRateTariffId { get; private set; }

    public long PlainTariffId { get; private set; }

    public string PlainTariffName { get; } = Unique("Plain");

    public long ManufacturerId { get; private set; }

    public long ConnectionTypeId { get; private set; }

    public long ConnectionGroupId { get; private set; }

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(Database);
        Client = Factory.CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", await Factory.AddApiKeyAsync("registration app"));

        ClusterId = await CreatedIdAsync(await PostAsync("/api/v1/clusters", new { name = Unique("Cluster"), latitude = -2.5m, longitude = 32.9m }));
        MiniGridId = await CreatedIdAsync(await PostAsync("/api/v1/mini-grids", new { name = Unique("Grid"), clusterId = ClusterId, latitude = -2.51m, longitude = 32.91m }));
        VillageId = await CreatedIdAsync(await PostAsync("/api/v1/villages", new { name = VillageName, miniGridId = MiniGridId, latitude = -2.52m, longitude = 32.92m }));
        AccessRateTariffId = await CreatedIdAsync(await PostAsync("/api/v1/tariffs", new
        {
            name = Unique("Weekly"),
            pricePerKWh = 500m,
            components = new[] { new { name = "REA levy", pricePerKWh = 10m } },
            accessRate = new { amount = 1000m, periodDays = 7 },
        }));
        PlainTariffId = await CreatedIdAsync(await PostAsync("/api/v1/tariffs", new { name = PlainTariffName, pricePerKWh = 350m }));
        ManufacturerId = await CreatedIdAsync(await PostAsync("/api/v1/manufacturers", new
        {
            name = Unique("Meters Ltd"),
            tokenGenerator = "sts",
            settings = new { vendingKey = VendingKey, supplyGroupCode = "123456" },
        }));
        ConnectionTypeId = await CreatedIdAsync(await PostAsync("/api/v1/connection-types", new { name = Unique("Household") }));
        ConnectionGroupId = await CreatedIdAsync(await PostAsync("/api/v1/connection-groups", new { name = Unique("Group") }));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A name no other test uses: the tests of a class share its database.</summary>
    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A serial number no other test uses.</summary>
    public static string Serial() => $"SN-{Guid.NewGuid():N}"[..23].ToUpperInvariant();

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM mpm.{table}");

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public static async Task<long> CreatedIdAsync(HttpResponseMessage response) =>
        (await JsonAsync(response, HttpStatusCode.Created)).GetProperty("id").GetInt64();

    /// <summary>The field errors of a 400 problem-details answer, by field.</summary>
    public static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        var problem = await JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => string.Join("; ", e.Value.EnumerateArray().Select(m => m.GetString())));
    }

    /// <summary>The detail of a problem-details answer with the given status.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await JsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }
}
