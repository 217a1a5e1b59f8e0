using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Browser.Tests.TransactionPages;

/// <summary>The Transactions pages in Chromium: one meter with a confirmed and a cancelled payment.</summary>
public sealed class TransactionPagesBrowserTests : IAsyncLifetime
{
    private const string Email = "viewer@example.com";
    private const string Password = "browser-test-password";

    private TestDatabase _database = null!;
    private MpmWebFactory _factory = null!;
    private string _baseUrl = "";
    private long _confirmed;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _factory = new MpmWebFactory(_database);
        _baseUrl = _factory.StartOnRealPort();
        await _factory.AddUserAsync(Email, Password, Roles.Viewer);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = DateTimeOffset.UtcNow;
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Kagera", CreatedAt = now });
        var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = "Kashai", Latitude = -1.30m, Longitude = 31.80m, CreatedAt = now });
        var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Household", PricePerKWh = 500m, CreatedAt = now });
        var manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
        var registered = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput("Asha", "Mwita", "+255712000001", null, null), new AddressInput(village, null, null, null), new MeterInput("KB-1001", manufacturer, tariff, null, null)));
        var (customer, meter) = (registered.CustomerId ?? throw new InvalidOperationException("registration failed"), registered.MeterId!.Value);

        Task<long> Pay(string status, decimal amount, string reference, DateTimeOffset at) => db.InsertWithInt64IdentityAsync(new TransactionRecord
        {
            Provider = "airtel", ProviderReference = reference, MeterId = meter, MeterSerial = "KB-1001", CustomerId = customer, VillageId = village, MiniGridId = miniGrid,
            ClusterId = cluster, Amount = amount, Currency = "TZS", RawData = "{}", Status = status, NextAttemptAt = at, ReceivedAt = at, CompletedAt = at,
        });

        _confirmed = await Pay(TransactionStatus.Confirmed, 1000m, "AT-1", now.AddHours(-1));
        await Pay(TransactionStatus.Cancelled, 500m, "AT-2", now.AddMinutes(-30));
        await db.InsertAsync(new AllocationRecord { TransactionId = _confirmed, Type = "access-rate", Amount = 300m, Description = "access rate", CreatedAt = now });
        await db.InsertAsync(new AllocationRecord { TransactionId = _confirmed, Type = "energy", Amount = 700m, Description = "1.4 kWh", CreatedAt = now });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_operator_filters_by_status_and_opens_a_transaction_with_its_breakdown_chart()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input_Email", Email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(Email);

        await page.GotoAsync("/Transactions");
        var rows = page.Locator("#transactions-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await page.SelectOptionAsync("#filter-status", "confirmed");
        await page.ClickAsync("#filter-submit");
        await page.WaitForURLAsync("**/Transactions?*status=confirmed*", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("1,000.00 TZS");

        await page.ClickAsync($"#transactions-table a[href='/Transactions/{_confirmed}']");
        await page.WaitForURLAsync($"**/Transactions/{_confirmed}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.Locator("#transaction-status")).ToHaveTextAsync("confirmed");
        var canvas = page.Locator("#transaction-breakdown-chart");
        await Assertions.Expect(canvas).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart('transaction-breakdown-chart') !== undefined");
        Assert.Equal(["Energy", "Access rate"], await page.EvaluateAsync<string[]>("() => Chart.getChart('transaction-breakdown-chart').data.labels"));
        Assert.True(await canvas.EvaluateAsync<bool>("c => c.width > 0 && c.height > 0"));
    }
}
