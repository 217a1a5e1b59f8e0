using System.Globalization;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Core.Domain;
using MPM.Testing;
using MPM.Web.Shell;
using Npgsql;
using Xunit;

namespace MPM.Browser.Tests.CatalogPages;

/// <summary>The host on a real port with a manager account, and Chromium.</summary>
public sealed class CatalogBrowserHost : IAsyncLifetime
{
    public const string Email = "manager@example.com";
    public const string Password = "catalog-browser-password";

    private IPlaywright _playwright = null!;

    public TestDatabase Database { get; private set; } = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(Database);
        BaseUrl = Factory.StartOnRealPort();
        await Factory.AddUserAsync(Email, Password, Roles.Manager);
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A new browser context, logged in as the manager through the login form.</summary>
    public async Task<IPage> LoggedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input_Email", Email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(BaseUrl + "/");
        return page;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}

public sealed class CatalogBrowserTests(CatalogBrowserHost host) : IClassFixture<CatalogBrowserHost>
{
    [Fact]
    public async Task A_manager_creates_a_cluster_by_clicking_the_map_and_sees_it_in_the_list()
    {
        var page = await host.LoggedInPageAsync();
        await page.GotoAsync("/Places/Clusters/Edit");
        await page.FillAsync("#Input_Name", "Singida");
        await page.FillAsync("#Input_Area", """{"type":"Polygon","coordinates":[[[34.6,-4.6],[35.0,-4.6],[35.0,-5.0],[34.6,-5.0],[34.6,-4.6]]]}""");
        await page.PressAsync("#Input_Area", "Tab"); // the map draws the area and zooms to it
        Assert.Equal("", await page.InputValueAsync("#Input_Latitude"));
        var map = page.Locator("#place-map");
        var size = (await map.BoundingBoxAsync())!;

        // The middle of the map is inside the area: the click reaches the map through it.
        await map.ClickAsync(new LocatorClickOptions { Position = new Position { X = size.Width / 2, Y = size.Height / 2 } });

        var latitude = decimal.Parse(await page.InputValueAsync("#Input_Latitude"), CultureInfo.InvariantCulture);
        var longitude = decimal.Parse(await page.InputValueAsync("#Input_Longitude"), CultureInfo.InvariantCulture);
        Assert.InRange(latitude, -5.0m, -4.6m);
        Assert.InRange(longitude, 34.6m, 35.0m);
        Assert.Equal(2, await page.Locator("#place-map .leaflet-overlay-pane path").CountAsync()); // area and point, drawn without tiles
        await page.ClickAsync("#save");

        await page.WaitForURLAsync(host.BaseUrl + "/Places/Clusters");
        Assert.Equal("Cluster Singida saved.", (await page.Locator("#mpm-flash").InnerTextAsync()).Trim());
        Assert.Equal(1, await page.Locator("#clusters-table td.cluster-name", new PageLocatorOptions { HasTextString = "Singida" }).CountAsync());
        Assert.Equal(latitude, await host.ScalarAsync<decimal>("SELECT latitude FROM mpm.clusters WHERE name = 'Singida'"));
        Assert.Equal(longitude, await host.ScalarAsync<decimal>("SELECT longitude FROM mpm.clusters WHERE name = 'Singida'"));
        Assert.True(await host.ScalarAsync<bool>("SELECT area_geojson IS NOT NULL FROM mpm.clusters WHERE name = 'Singida'"));
    }

    [Fact]
    public async Task The_red_plus_button_at_the_bottom_right_opens_the_new_cluster_form()
    {
        var page = await host.LoggedInPageAsync();
        await page.GotoAsync("/Places/Clusters");
        var button = page.Locator("#add-new-cluster");

        var style = await button.EvaluateAsync<string[]>("b => { const s = getComputedStyle(b); return [s.position, s.backgroundColor, s.borderTopLeftRadius]; }");
        var box = (await button.BoundingBoxAsync())!;
        Assert.Equal("fixed", style[0]);
        Assert.Equal("rgb(220, 53, 69)", style[1]); // Bootstrap's danger red
        Assert.Equal("50%", style[2]);
        Assert.InRange(box.X + box.Width, 1300, 1400);
        Assert.InRange(box.Y + box.Height, 800, 900);
        Assert.Equal(box.Width, box.Height, 1.0);

        await button.ClickAsync();

        await page.WaitForURLAsync(host.BaseUrl + "/Places/Clusters/Edit");
        Assert.Equal("New cluster", (await page.Locator("h1").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task A_manager_creates_a_tariff_with_two_components_and_sees_its_total_in_the_list()
    {
        var page = await host.LoggedInPageAsync();
        await page.GotoAsync("/Tariffs/Edit");
        await page.FillAsync("#Input_Name", "Household browser");
        await page.FillAsync("#Input_PricePerKWh", "450");

        await page.ClickAsync("#add-component");
        await page.ClickAsync("#add-component");
        await page.ClickAsync("#add-component");
        await page.Locator(".tariff-component .remove-component").Nth(1).ClickAsync();
        await page.FillAsync("#Input_Components_0__Name", "VAT");
        await page.FillAsync("#Input_Components_0__PricePerKWh", "81");
        await page.FillAsync("#Input_Components_1__Name", "EWURA levy");
        await page.FillAsync("#Input_Components_1__PricePerKWh", "4.5");
        await page.ClickAsync("#save");

        await page.WaitForURLAsync(host.BaseUrl + "/Tariffs");
        var row = page.Locator("#tariffs-table tr", new PageLocatorOptions { Has = page.Locator("td.tariff-name", new PageLocatorOptions { HasTextString = "Household browser" }) });
        Assert.Equal(Formats.PricePerKWh(Tariffs.TotalPricePerKWh(450m, [81m, 4.5m])), (await row.Locator("td.tariff-total").InnerTextAsync()).Trim());
        Assert.Equal("535.50", (await row.Locator("td.tariff-total").InnerTextAsync()).Trim());
        Assert.Contains("EWURA levy: 4.50", await row.InnerTextAsync());
    }
}
