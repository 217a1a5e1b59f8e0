using System.Globalization;
using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Browser.Tests.CustomerPages;

/// <summary>The customer pages in Chromium: the real host on a loopback port, with one registered customer.</summary>
public sealed class CustomerPagesBrowserTests : IAsyncLifetime
{
    private const string Email = "manager@example.com";
    private const string Password = "browser-test-password";
    private const string Surname = "Mwakalinga";

    private TestDatabase _database = null!;
    private MpmWebFactory _factory = null!;
    private string _baseUrl = "";
    private long _customerId;
    private long _marketId;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _factory = new MpmWebFactory(_database);
        _baseUrl = _factory.StartOnRealPort();
        await _factory.AddUserAsync(Email, Password, Roles.Manager);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = DateTimeOffset.UtcNow;
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Kagera", CreatedAt = now });
        var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba MG", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = "Kibaoni", Latitude = -1.30m, Longitude = 31.80m, CreatedAt = now });
        _marketId = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = "Market", Latitude = -1.31m, Longitude = 31.79m, CreatedAt = now });
        var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Household", PricePerKWh = 500m, CreatedAt = now });
        var manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
        var result = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput("Neema", Surname, "+255712345678", null, "female"),
            new AddressInput(village, "Main road", -1.2921m, 31.8219m),
            new MeterInput("47000123456", manufacturer, tariff, null, null)));
        _customerId = result.CustomerId ?? throw new InvalidOperationException("registration failed");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_operator_finds_a_customer_adds_an_address_and_sees_the_meter_on_the_map()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl });
        context.SetDefaultTimeout(30_000);
        // There is no internet here: map tiles fail at once; the markers must show without them.
        await context.RouteAsync("https://tile.openstreetmap.org/**", route => route.AbortAsync());
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input_Email", Email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(Email);

        await page.GotoAsync("/Customers");
        await page.FillAsync("#customer-search-box", "mwakal");
        await page.PressAsync("#customer-search-box", "Enter");
        await page.WaitForURLAsync("**/Customers?q=mwakal**");
        await page.ClickAsync($"#customers-table a:has-text('{Surname}')");
        await page.WaitForURLAsync($"**/Customers/{_customerId}");
        await Assertions.Expect(page.Locator("#customer-name")).ToHaveTextAsync($"Neema {Surname}");

        var markers = page.Locator("#customer-map .leaflet-marker-pane .leaflet-marker-icon");
        await Assertions.Expect(markers).ToHaveCountAsync(1);
        await Assertions.Expect(markers).ToHaveAttributeAsync("title", "47000123456");

        await page.ClickAsync("#address-add");
        await Assertions.Expect(page.Locator("#address-form")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#Address_VillageId", _marketId.ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("#Address_Street", "Mango street");
        await page.FillAsync("#Address_Phone", "+255787654321");
        await page.CheckAsync("#Address_Primary");
        await page.ClickAsync("#address-save");

        await Assertions.Expect(page.Locator("#mpm-flash")).ToContainTextAsync("Address added.");
        var newRow = page.Locator("#addresses-table tbody tr", new() { HasText = "Mango street" });
        await Assertions.Expect(newRow).ToContainTextAsync("+255787654321");
        await Assertions.Expect(newRow).ToContainTextAsync("primary");
        await Assertions.Expect(page.Locator("#addresses-table .badge", new() { HasText = "primary" })).ToHaveCountAsync(1);
        await Assertions.Expect(markers).ToHaveCountAsync(1);
    }
}
