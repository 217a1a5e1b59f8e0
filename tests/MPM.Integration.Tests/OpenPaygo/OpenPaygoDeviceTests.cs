using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using MPM.Data;
using MPM.Data.Migrations;
using MPM.Plugins.OpenPaygo.Devices;
using MPM.Plugins.OpenPaygo.Engine;
using MPM.Sdk;
using MPM.Testing;
using MPM.Web.Settings;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.OpenPaygo;

/// <summary>
/// The OpenPAYGO plugin's device registry: persisted key, starting code and counter, on real PostgreSQL with the
/// plugin's own migrations; and its page in the real host.
/// </summary>
public sealed class OpenPaygoDeviceTests : IAsyncLifetime
{
    // Device 1 of PROTOCOLS.md section 7.
    private const string Key = "bc41ec9530f6dac86b1a29ab82edc5fb";
    private const uint StartingCode = 516959010;
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private OpenPaygoDevices _devices = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync([Database.PluginMigrations("openpaygo", typeof(OpenPaygoDevices).Assembly)]);
        _devices = new OpenPaygoDevices(new TestPluginDatabase(_dataSource), new PluginSecrets(DataProtectionProvider.Create("openpaygo-tests")), TimeProvider.System);
        await _devices.RegisterAsync("SHS-1", Key, StartingCode, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<DeviceToken> IssueAsync(OpenPaygoTokenType type, int? value, string? reference = null) =>
        _devices.IssueAsync("SHS-1", type, value, extended: false, restrictedDigits: false, reference, "test", CancellationToken.None);

    [Fact]
    public async Task Tokens_follow_the_persisted_counter_and_match_the_public_vectors()
    {
        var first = await IssueAsync(OpenPaygoTokenType.AddTime, 1);
        Assert.Equal((2, "588224011"), (first.Count, first.Token));
        var second = await IssueAsync(OpenPaygoTokenType.SetTime, 1);
        Assert.Equal(3, second.Count);
        Assert.Equal(OpenPaygoEncoder.Generate(Convert.FromHexString(Key), StartingCode, 2, OpenPaygoTokenType.SetTime, 1, false, false).Token, second.Token);
    }

    [Fact]
    public async Task Concurrent_tokens_never_share_a_count()
    {
        var tokens = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => IssueAsync(OpenPaygoTokenType.AddTime, 3)));
        Assert.Equal(12, tokens.Select(t => t.Count).Distinct().Count());
        Assert.Equal(12, tokens.Select(t => t.Token).Distinct().Count());
    }

    [Fact]
    public async Task A_repeated_reference_returns_the_stored_token_without_advancing_the_counter()
    {
        var first = await IssueAsync(OpenPaygoTokenType.AddTime, 30, reference: "payment-41");
        var again = await IssueAsync(OpenPaygoTokenType.AddTime, 30, reference: "payment-41");
        var next = await IssueAsync(OpenPaygoTokenType.AddTime, 30);
        Assert.Equal((first.Count, first.Token), (again.Count, again.Token));
        Assert.Equal(first.Count + 2, next.Count);
    }

    [Fact]
    public async Task The_key_is_stored_encrypted_and_bad_input_is_refused()
    {
        var stored = await _database.ScalarAsync<string>("SELECT secret_key FROM plg_openpaygo.devices WHERE serial = 'SHS-1'");
        Assert.DoesNotContain(Key, stored!, StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<ArgumentException>(() => _devices.RegisterAsync("SHS-1", Key, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _devices.RegisterAsync("SHS-2", "not-hex", null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _devices.IssueAsync("nope", OpenPaygoTokenType.AddTime, 1, false, false, null, "test", CancellationToken.None));
    }

    [Fact]
    public async Task In_the_host_an_admin_registers_a_device_a_manager_issues_a_token_and_a_viewer_cannot()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var factory = new MpmWebFactory(database);
        await factory.AddUserAsync("admin@example.com", "admin-password", "admin");
        await factory.AddUserAsync("manager@example.com", "manager-password", "manager");
        await factory.AddUserAsync("viewer@example.com", "viewer-password", "viewer");
        var admin = await factory.LoginAsync("admin@example.com", "admin-password");
        var registered = await MpmWebFactory.PostFormAsync(admin, "/plugins/openpaygo?handler=Register", new() { ["serial"] = "SHS-9", ["key"] = Key, ["startingCode"] = StartingCode.ToString() }, "/plugins/openpaygo");
        Assert.Contains("SHS-9", await registered.Content.ReadAsStringAsync());

        var manager = await factory.LoginAsync("manager@example.com", "manager-password");
        var response = await MpmWebFactory.PostFormAsync(manager, "/plugins/openpaygo?handler=Issue", new() { ["serial"] = "SHS-9", ["type"] = "AddTime", ["value"] = "1" }, "/plugins/openpaygo");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal("588224011", Regex.Match(html, "id=\"opg-token\">([0-9]+)<").Groups[1].Value);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'openpaygo.token' AND actor = 'manager@example.com'"));

        var viewer = await factory.LoginAsync("viewer@example.com", "viewer-password");
        var refused = await MpmWebFactory.PostFormAsync(viewer, "/plugins/openpaygo?handler=Issue", new() { ["serial"] = "SHS-9", ["type"] = "AddTime", ["value"] = "1" }, "/plugins/openpaygo");
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"viewer got {(int)refused.StatusCode}");
        Assert.Equal(2, await database.ScalarAsync<int>("SELECT count FROM plg_openpaygo.devices WHERE serial = 'SHS-9'"));
    }

    private sealed class TestPluginDatabase(NpgsqlDataSource dataSource) : IPluginDatabase
    {
        public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => await dataSource.OpenConnectionAsync(cancellationToken);

        public string SchemaOf(string pluginId) => Database.PluginSchema(pluginId);
    }

    [Theory]
    [InlineData(15000, 30000, 30, 15)]
    [InlineData(30000, 30000, 30, 30)]
    [InlineData(1000, 7000, 7, 1)]
    [InlineData(999, 7000, 7, 0)]
    public void Credit_days_are_the_share_of_a_rate_times_its_period_rounded_down(int amount, int rate, int period, int days) =>
        Assert.Equal(days, OpenPaygoDevices.CreditDays(amount, rate, period));
}
