using System.Net;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class AssetTypePagesTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private static Dictionary<string, string> AssetType(string name, string price) => new() { ["Input.Name"] = name, ["Input.Price"] = price };

    [Fact]
    public async Task A_manager_adds_and_edits_an_asset_type()
    {
        var added = await CatalogHost.PostAsync(host.Manager, "/AssetTypes/Edit", AssetType("Water pump", "350000"));

        CatalogHost.AssertRedirectTo(added, "/AssetTypes");
        var id = await host.ScalarAsync<long>("SELECT id FROM mpm.asset_types WHERE name = 'Water pump'");
        Assert.Equal(350000m, await host.ScalarAsync<decimal>("SELECT price FROM mpm.asset_types WHERE id = @id", ("id", id)));
        Assert.Contains("350,000.00", await host.Viewer.GetStringAsync("/AssetTypes"));

        var edited = await CatalogHost.PostAsync(host.Manager, $"/AssetTypes/Edit/{id}", AssetType("Solar water pump", "420000.50"));

        CatalogHost.AssertRedirectTo(edited, "/AssetTypes");
        Assert.Equal("Solar water pump", await host.ScalarAsync<string>("SELECT name FROM mpm.asset_types WHERE id = @id", ("id", id)));
        Assert.Equal(420000.50m, await host.ScalarAsync<decimal>("SELECT price FROM mpm.asset_types WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "asset-type.create", $"asset type {id}: Water pump"));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "asset-type.update", $"asset type {id}: Solar water pump"));
    }

    [Theory]
    [InlineData("Milling machine", "", "price is required")]
    [InlineData("Milling machine", "-1", "price must be 0 or more")]
    [InlineData("Milling machine", "10.505", "price must have at most 2 decimals")]
    [InlineData("", "100", "name is required")]
    [InlineData("Fridge", "100", "an asset type named Fridge already exists")]
    public async Task A_bad_asset_type_is_shown_back_with_its_error_and_not_stored(string name, string price, string error)
    {
        if (await host.ScalarAsync<long>("SELECT count(*) FROM mpm.asset_types WHERE name = 'Fridge'") == 0)
        {
            CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/AssetTypes/Edit", AssetType("Fridge", "900000")), "/AssetTypes");
        }

        var before = await host.CountAsync("asset_types");

        var response = await CatalogHost.PostAsync(host.Manager, "/AssetTypes/Edit", AssetType(name, price));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, await CatalogHost.TextAsync(response));
        Assert.Equal(before, await host.CountAsync("asset_types"));
    }

    [Fact]
    public async Task A_viewer_cannot_add_an_asset_type()
    {
        var before = await host.CountAsync("asset_types");

        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, "/AssetTypes/Edit", AssetType("Viewer asset", "1"), pageUrl: "/AssetTypes"));

        Assert.Equal(before, await host.CountAsync("asset_types"));
    }
}
