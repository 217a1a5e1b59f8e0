using System.Net;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MPM.Data;
using MPM.Plugins.Sts.Engine;
using MPM.Sdk.Tokens;
using MPM.Testing;
using MPM.Web.Features.Customers;
using MPM.Web.Settings;
using Xunit;

namespace MPM.Integration.Tests.Sts;

/// <summary>The STS plugin loaded by the real host, vending for a registered meter of an STS manufacturer.</summary>
public sealed class StsVendingTests : IAsyncLifetime
{
    private const string VendingKey = "ABABABABABABABAB949494949494949401234567";
    private const string Serial = "47000000019"; // manufacturer 47, serial 00000001, Luhn check digit 9
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 8, 0, 30, TimeSpan.Zero));
    private TestDatabase _database = null!;
    private StsFactory _factory = null!;
    private long _manufacturerId;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _factory = new StsFactory(_database, _clock);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = _clock.GetUtcNow();
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Lake", CreatedAt = now });
        var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { Name = "Bukoba", ClusterId = cluster, Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { Name = "Kashai", MiniGridId = miniGrid, Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Residential", PricePerKWh = 500m, CreatedAt = now });
        _manufacturerId = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "STS meters", TokenGenerator = "sts", CreatedAt = now });
        var errors = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().SaveAsync("sts", PluginSettingsStore.ManufacturerScope(_manufacturerId), new Dictionary<string, string?>
        {
            ["vendingKey"] = VendingKey, ["keyGeneration"] = "04", ["encryption"] = "11", ["supplyGroupCode"] = "123457",
            ["tariffIndex"] = "1", ["keyRevision"] = "1", ["keyType"] = "2", ["baseDate"] = "2014",
        }, "test");
        Assert.Empty(errors);
        var registration = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput("Asha", "Mwita", "+255712000001", null, "female"),
            new AddressInput(village, null, -1.33m, 31.81m),
            new MeterInput(Serial, _manufacturerId, tariff, null, null)));
        Assert.True(registration.Succeeded);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static DecoderKey MeterKey() =>
        DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, Convert.FromHexString(VendingKey),
            new DecoderKeyParameters(MeterPan.Parse(Serial), "123457", 1, 1, 2, BaseDate.Year2014, EncryptionAlgorithm.Misty1));

    private async Task<GeneratedToken> CreditAsync(long transactionId, decimal kwh)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var settings = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().GetForManufacturerAsync("sts", _manufacturerId);
        var generator = scope.ServiceProvider.GetRequiredKeyedService<ITokenGenerator>("sts");
        return await generator.GenerateCreditAsync(new CreditTokenRequest(transactionId, Serial, kwh, settings), CancellationToken.None);
    }

    [Fact]
    public async Task Credit_tokens_decode_to_the_meters_key_and_amount_with_distinct_tids()
    {
        var first = await CreditAsync(1, 3.0m);
        var second = await CreditAsync(2, 25.6m);

        Assert.Matches("^[0-9]{20}$", first.Value);
        var a = StsTokens.Decode(first.Value, MeterKey(), BaseDate.Year2014);
        var b = StsTokens.Decode(second.Value, MeterKey(), BaseDate.Year2014);
        Assert.True(a.CrcOk && b.CrcOk);
        Assert.Equal((0, 0, 3.0m), (a.TokenClass, a.Subclass, a.Amount));
        Assert.Equal(25.6m, b.Amount);
        // Both were issued in the same minute: the second takes the next minute.
        Assert.Equal(TokenIdentifier.FromIssueTime(new DateTime(2026, 3, 1, 8, 0, 0), BaseDate.Year2014), a.Tid);
        Assert.Equal(a.Tid + 1, b.Tid);
    }

    [Fact]
    public async Task The_same_transaction_gets_the_same_token()
    {
        var first = await CreditAsync(7, 1.5m);
        var again = await CreditAsync(7, 1.5m);
        Assert.Equal(first.Value, again.Value);
    }

    [Fact]
    public async Task A_wrong_vending_key_setting_is_a_permanent_failure()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var generator = scope.ServiceProvider.GetRequiredKeyedService<ITokenGenerator>("sts");
        var error = await Assert.ThrowsAsync<TokenGenerationException>(() => generator.GenerateCreditAsync(
            new CreditTokenRequest(9, Serial, 1m, new Dictionary<string, string?> { ["vendingKey"] = "XYZ", ["keyGeneration"] = "04", ["encryption"] = "11", ["supplyGroupCode"] = "123457", ["tariffIndex"] = "1", ["keyRevision"] = "1", ["keyType"] = "2", ["baseDate"] = "2014" }),
            CancellationToken.None));
        Assert.False(error.Transient);
        Assert.Contains("vendingKey", error.Message);
    }

    [Fact]
    public async Task An_admin_issues_a_clear_tamper_token_from_the_meter_page_and_it_is_audited()
    {
        await _factory.AddUserAsync("admin@example.com", "admin-password", "admin");
        await _factory.AddUserAsync("viewer@example.com", "viewer-password", "viewer");
        var admin = await _factory.LoginAsync("admin@example.com", "admin-password");
        var url = $"/plugins/sts/meters/{Serial}";

        var response = await MpmWebFactory.PostFormAsync(admin, url, new() { ["subclass"] = "5", ["value"] = "0" });

        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "id=\"sts-issued-token\">([0-9 ]+)<").Groups[1].Value.Replace(" ", "");
        var decoded = StsTokens.Decode(token, MeterKey(), BaseDate.Year2014);
        Assert.Equal((2, 5, true), (decoded.TokenClass, decoded.Subclass, decoded.CrcOk));
        await using var scope = _factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<MpmDb>().AuditLog.Where(a => a.Action == "sts.management-token").ToListAsync();
        Assert.Single(audit);
        Assert.Equal("admin@example.com", audit[0].Actor);
        Assert.Contains(Serial, audit[0].Details);
        Assert.Contains(token, System.Text.RegularExpressions.Regex.Replace(await admin.GetStringAsync(url), "(?<=[0-9]) (?=[0-9])", ""));

        var viewer = await _factory.LoginAsync("viewer@example.com", "viewer-password");
        var forbidden = await viewer.GetAsync(url);
        Assert.True(forbidden.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"viewer got {(int)forbidden.StatusCode}");
    }

    private sealed class StsFactory(TestDatabase database, TimeProvider clock) : MpmWebFactory(database)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
