using System.Net;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Plugins.Providers.Tests.Support;
using MPM.Testing;
using MPM.Web.Demo;
using Xunit;
using Xunit.Abstractions;
using static MPM.Plugins.Providers.Tests.Support.Messages;

namespace MPM.Plugins.Providers.Tests;

/// <summary>
/// The README's requests (samples/requests/*.xml, posted with curl) against a host after <c>demo seed</c> with its
/// defaults: each is acknowledged, buys a token for the demo meter, and sending it again changes nothing.
/// </summary>
public sealed class DemoRequestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ProviderFactory _factory = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _factory = new ProviderFactory(_database);
        _http = new HttpClient { BaseAddress = new Uri(_factory.StartOnRealPort()) };
        await using var scope = _factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<T> QueryAsync<T>(Func<MpmDb, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MpmDb>());
    }

    private static string Sample(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var file = Path.Combine(folder.FullName, "samples", "requests", name);
            if (File.Exists(Path.Combine(folder.FullName, "MPM.Platform.sln")))
            {
                return File.ReadAllText(file);
            }
        }

        throw new InvalidOperationException("MPM.Platform.sln not found above the test's folder");
    }

    /// <summary>Posts the sample as curl --data-binary does; returns the answer and the one transaction it made.</summary>
    private async Task<(HttpStatusCode Status, string Body, TransactionRecord Payment)> PostSampleAsync(string path, string sample, string provider, string reference)
    {
        using var content = new StringContent(Sample(sample), System.Text.Encoding.UTF8, "text/xml");
        using var response = await _http.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine(body);
        var payment = Assert.Single(await QueryAsync(db => db.Transactions.Where(t => t.Provider == provider && t.ProviderReference == reference).ToListAsync()));
        return (response.StatusCode, body, payment);
    }

    private async Task<TokenRecord> ConfirmedWithTokenAsync(TransactionRecord payment, string meter)
    {
        Assert.Equal(meter, payment.MeterSerial);
        // A demo meter with no access-rate account and no assets: all of the payment buys energy.
        Assert.False(await QueryAsync(db => db.AccessRateAccounts.AnyAsync(a => a.MeterId == payment.MeterId)));
        Assert.False(await QueryAsync(db => db.AssetSales.AnyAsync(a => a.CustomerId == payment.CustomerId)));
        await Poll.UntilAsync(async () => await QueryAsync(db => db.Transactions.AnyAsync(t => t.Id == payment.Id && t.Status == TransactionStatus.Confirmed)), TimeSpan.FromSeconds(30), "the payment to be confirmed");
        return await QueryAsync(db => db.Tokens.FirstAsync(t => t.TransactionId == payment.Id));
    }

    [Fact]
    public async Task The_readme_vodacom_request_buys_a_token_for_the_demo_meter_and_a_repeat_changes_nothing()
    {
        var (status, body, payment) = await PostSampleAsync(VodacomPath, "vodacom-payment.xml", "vodacom-tz", "DEMO5DA71AKT7UP");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("0", "Received", "Success"), (Field(body, "responseCode"), Field(body, "responseDesc"), Field(body, "serviceStatus")));
        var token = await ConfirmedWithTokenAsync(payment, "47026182379");
        Assert.Equal(4.7m, token.Amount); // 4500 TZS at the demo tariff's 950 TZS/kWh (900 and a levy), to 0.1 kWh

        var transactions = await QueryAsync(db => db.Transactions.CountAsync());
        var again = await PostSampleAsync(VodacomPath, "vodacom-payment.xml", "vodacom-tz", "DEMO5DA71AKT7UP");
        Assert.Equal((status, body, payment.Id), (again.Status, again.Body, again.Payment.Id));
        Assert.Equal(transactions, await QueryAsync(db => db.Transactions.CountAsync()));
        Assert.Single(await QueryAsync(db => db.Tokens.Where(t => t.TransactionId == payment.Id).ToListAsync()));
    }

    [Fact]
    public async Task The_readme_airtel_request_buys_a_token_for_the_demo_meter_and_a_repeat_changes_nothing()
    {
        var (status, body, payment) = await PostSampleAsync(AirtelPath, "airtel-payment.xml", "airtel-tz", "DEMO-AIRTEL-0001");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(AirtelAcknowledgement(payment.Id, "47880284345", "DEMO-AIRTEL-0001"), body);
        var token = await ConfirmedWithTokenAsync(payment, "47880284345");
        Assert.Equal(9.5m, token.Amount); // 9000 TZS at 950 TZS/kWh, to 0.1 kWh

        var transactions = await QueryAsync(db => db.Transactions.CountAsync());
        var again = await PostSampleAsync(AirtelPath, "airtel-payment.xml", "airtel-tz", "DEMO-AIRTEL-0001");
        Assert.Equal((status, body, payment.Id), (again.Status, again.Body, again.Payment.Id));
        Assert.Equal(transactions, await QueryAsync(db => db.Transactions.CountAsync()));
    }

    [Fact]
    public async Task Demo_seed_stores_the_readme_settings_with_the_airtel_password_encrypted()
    {
        var rows = await QueryAsync(db => db.PluginSettings.Where(s => s.Scope == "plugin" && (s.PluginId == "vodacom-tz" || s.PluginId == "airtel-tz")).ToListAsync());
        Assert.Equal(2, rows.Count);
        var airtel = rows.Single(r => r.PluginId == "airtel-tz").Values;
        Assert.Contains("mpm-demo", airtel);
        Assert.DoesNotContain(PaymentProvidersSection.AirtelApiPassword, airtel);
        Assert.Contains("332277", rows.Single(r => r.PluginId == "vodacom-tz").Values);
    }
}
