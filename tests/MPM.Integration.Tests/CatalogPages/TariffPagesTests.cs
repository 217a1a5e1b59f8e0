using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core.Domain;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Places;
using MPM.Web.Shell;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class TariffPagesTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private static Dictionary<string, string> Tariff(string name, string price = "500", string minimum = "", string amount = "", string period = "", params (string Name, string Price)[] components)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.PricePerKWh"] = price,
            ["Input.MinimumPurchase"] = minimum,
            ["Input.AccessRate.Amount"] = amount,
            ["Input.AccessRate.PeriodDays"] = period,
        };
        foreach (var (component, i) in components.Select((c, i) => (c, i)))
        {
            fields[$"Input.Components[{i}].Name"] = component.Name;
            fields[$"Input.Components[{i}].PricePerKWh"] = component.Price;
        }

        return fields;
    }

    private Task<long> IdOfAsync(string name) => host.ScalarAsync<long>("SELECT id FROM mpm.tariffs WHERE name = @name", ("name", name));

    [Fact]
    public async Task A_manager_creates_a_tariff_with_components_and_the_list_shows_its_total()
    {
        var response = await CatalogHost.PostAsync(host.Manager, "/Tariffs/Edit", Tariff("Household", "500", "1000", "2500", "7", ("VAT", "90"), ("REA levy", "12.5")));

        CatalogHost.AssertRedirectTo(response, "/Tariffs");
        var id = await IdOfAsync("Household");
        Assert.Equal(500m, await host.ScalarAsync<decimal>("SELECT price_per_kwh FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal(1000m, await host.ScalarAsync<decimal>("SELECT minimum_purchase FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal(2500m, await host.ScalarAsync<decimal>("SELECT access_rate_amount FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal(7, await host.ScalarAsync<int>("SELECT access_rate_period_days FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal("REA levy=12.5000, VAT=90.0000", await host.ScalarAsync<string>(
            "SELECT string_agg(name || '=' || price_per_kwh, ', ' ORDER BY name) FROM mpm.tariff_components WHERE tariff_id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "tariff.create", $"tariff {id}: Household, 500"));

        var list = await host.Viewer.GetStringAsync("/Tariffs");
        var row = Regex.Match(list, $"<tr data-tariff-id=\"{id}\">.*?</tr>", RegexOptions.Singleline).Value;
        var total = Regex.Match(row, "class=\"[^\"]*tariff-total\">([^<]*)<").Groups[1].Value;
        Assert.Equal(Formats.PricePerKWh(Tariffs.TotalPricePerKWh(500m, [90m, 12.5m])), total);
        Assert.Equal("602.50", total);
        Assert.Contains("REA levy: 12.50", row);
        Assert.Contains("2,500.00 every 7 days", row);
    }

    [Fact]
    public async Task Editing_a_tariff_replaces_its_components_and_leaves_registered_meters_accounts_alone()
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Tariffs/Edit", Tariff("Business", "800", amount: "1000", period: "7", components: [("VAT", "144"), ("Levy", "8")])), "/Tariffs");
        var id = await IdOfAsync("Business");
        var meter = await RegisterMeterAsync(id);
        Assert.Equal(1000m, await host.ScalarAsync<decimal>("SELECT amount FROM mpm.access_rate_accounts WHERE meter_id = @id", ("id", meter)));

        var form = await CatalogHost.GetTextAsync(host.Manager, $"/Tariffs/Edit/{id}");
        Assert.Contains("value=\"Business\"", form);
        Assert.Contains("value=\"Levy\"", form);
        Assert.Contains("does not rewrite the accounts of meters", form);

        var response = await CatalogHost.PostAsync(host.Manager, $"/Tariffs/Edit/{id}", Tariff("Business", "850", amount: "2000", period: "30", components: [("VAT", "153")]));

        CatalogHost.AssertRedirectTo(response, "/Tariffs");
        Assert.Equal(850m, await host.ScalarAsync<decimal>("SELECT price_per_kwh FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal(30, await host.ScalarAsync<int>("SELECT access_rate_period_days FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal("VAT=153.0000", await host.ScalarAsync<string>("SELECT string_agg(name || '=' || price_per_kwh, ', ') FROM mpm.tariff_components WHERE tariff_id = @id", ("id", id)));
        Assert.Equal(1000m, await host.ScalarAsync<decimal>("SELECT amount FROM mpm.access_rate_accounts WHERE meter_id = @id", ("id", meter)));
        Assert.Equal(7, await host.ScalarAsync<int>("SELECT period_days FROM mpm.access_rate_accounts WHERE meter_id = @id", ("id", meter)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "tariff.update", $"tariff {id}: Business, 850"));

        // Removing the access rate and every component.
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, $"/Tariffs/Edit/{id}", Tariff("Business", "850")), "/Tariffs");
        Assert.True(await host.ScalarAsync<bool>("SELECT access_rate_amount IS NULL AND access_rate_period_days IS NULL FROM mpm.tariffs WHERE id = @id", ("id", id)));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.tariff_components WHERE tariff_id = @id", ("id", id)));
    }

    /// <param name="changes">Fields changed from a valid tariff, form-encoded ("Input.PricePerKWh=0&amp;…").</param>
    [Theory]
    [InlineData("Input.PricePerKWh=", "price per kWh is required")]
    [InlineData("Input.PricePerKWh=0", "price per kWh must be more than 0")]
    [InlineData("Input.PricePerKWh=-5", "price per kWh must be more than 0")]
    [InlineData("Input.PricePerKWh=0.123456", "price per kWh must have at most 4 decimals")]
    [InlineData("Input.Name=", "name is required")]
    [InlineData("Input.MinimumPurchase=-1", "minimum purchase must be 0 or more")]
    [InlineData("Input.AccessRate.Amount=1000", "an access rate needs a period in days as well as an amount")]
    [InlineData("Input.AccessRate.PeriodDays=7", "an access rate needs an amount as well as a period")]
    [InlineData("Input.AccessRate.Amount=1000&Input.AccessRate.PeriodDays=0", "the period must be 1 day or more")]
    [InlineData("Input.AccessRate.Amount=0&Input.AccessRate.PeriodDays=7", "access rate amount must be more than 0")]
    [InlineData("Input.Components[0].Name=&Input.Components[0].PricePerKWh=10", "name is required")]
    [InlineData("Input.Components[0].Name=VAT&Input.Components[0].PricePerKWh=-10", "price per kWh must be 0 or more")]
    [InlineData("Input.Components[0].Name=VAT&Input.Components[0].PricePerKWh=", "price per kWh is required")]
    [InlineData("Input.Components[0].Name=VAT&Input.Components[0].PricePerKWh=10&Input.Components[1].Name=vat&Input.Components[1].PricePerKWh=20", "there is already a component named vat")]
    public async Task A_bad_tariff_is_shown_back_with_its_error_and_not_stored(string changes, string error)
    {
        var fields = Tariff($"Bad tariff {Guid.NewGuid():N}");
        foreach (var change in changes.Split('&'))
        {
            fields[change[..change.IndexOf('=')]] = change[(change.IndexOf('=') + 1)..];
        }

        var tariffs = await host.CountAsync("tariffs");
        var components = await host.CountAsync("tariff_components");

        var response = await CatalogHost.PostAsync(host.Manager, "/Tariffs/Edit", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await CatalogHost.TextAsync(response);
        Assert.Contains(error, html);
        Assert.Contains("id=\"tariff-form\"", html);
        Assert.Equal(tariffs, await host.CountAsync("tariffs"));
        Assert.Equal(components, await host.CountAsync("tariff_components"));
    }

    [Fact]
    public async Task A_duplicate_tariff_name_is_refused_and_the_typed_components_are_kept()
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Tariffs/Edit", Tariff("Public")), "/Tariffs");
        var tariffs = await host.CountAsync("tariffs");
        var components = await host.CountAsync("tariff_components");

        var response = await CatalogHost.PostAsync(host.Manager, "/Tariffs/Edit", Tariff("Public", "300", components: [("Street lights", "4")]));

        var html = await CatalogHost.TextAsync(response);
        Assert.Contains("a tariff named Public already exists", html);
        Assert.Contains("value=\"Street lights\"", html);
        Assert.Equal(tariffs, await host.CountAsync("tariffs"));
        Assert.Equal(components, await host.CountAsync("tariff_components"));
    }

    [Fact]
    public async Task A_viewer_cannot_create_or_edit_a_tariff()
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Admin, "/Tariffs/Edit", Tariff("Institution", "450")), "/Tariffs");
        var id = await IdOfAsync("Institution");

        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, "/Tariffs/Edit", Tariff("Viewer tariff"), pageUrl: "/Tariffs"));
        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, $"/Tariffs/Edit/{id}", Tariff("Institution", "1"), pageUrl: "/Tariffs"));

        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.tariffs WHERE name = 'Viewer tariff'"));
        Assert.Equal(450m, await host.ScalarAsync<decimal>("SELECT price_per_kwh FROM mpm.tariffs WHERE id = @id", ("id", id)));
    }

    private async Task<long> RegisterMeterAsync(long tariffId)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var places = services.GetRequiredService<PlaceCatalog>();
        var cluster = await places.SaveClusterAsync(null, new ClusterInput("Tariff cluster", null, -3.4m, 36.7m, null), "test");
        var miniGrid = await places.SaveMiniGridAsync(null, new MiniGridInput("Tariff MG", cluster.Id, -3.4m, 36.7m), "test");
        var village = await places.SaveVillageAsync(null, new VillageInput("Tariff village", miniGrid.Id, -3.4m, 36.7m), "test");
        var manufacturer = await services.GetRequiredService<ManufacturerCatalog>().SaveAsync(null, new ManufacturerInput("Tariff meters", "sts"), "test");
        var registered = await services.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput("Neema", "Mushi", "+255712345678", null, null),
            new AddressInput(village.Id, null, null, null),
            new MeterInput("TARIFF-0001", manufacturer.Id, tariffId, null, null)));
        Assert.True(registered.Succeeded, string.Join("; ", registered.Errors.Values) + registered.Conflict);
        return registered.MeterId!.Value;
    }
}
