using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MPM.Web.Settings;
using Xunit;
using static MPM.Integration.Tests.Api.ApiHost;

namespace MPM.Integration.Tests.Api;

/// <summary>GET and POST of clusters, mini-grids, villages, tariffs, customer groups and manufacturers, with every error answer.</summary>
public sealed class CatalogApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Square = """{"type":"Polygon","coordinates":[[[32.9,-2.5],[33.0,-2.5],[33.0,-2.6],[32.9,-2.6],[32.9,-2.5]]]}""";

    private async Task<JsonElement> ItemAsync(string path, long id) =>
        Assert.Single((await JsonAsync(await host.Client.GetAsync(path))).EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);

    /// <summary>Posts a body that must be refused with 400, and checks that the table did not change.</summary>
    private async Task<Dictionary<string, string>> RejectedAsync(string path, string json, string table)
    {
        var before = await host.CountAsync(table);
        var errors = await ErrorsAsync(await host.PostJsonAsync(path, json));
        Assert.Equal(before, await host.CountAsync(table));
        return errors;
    }

    private async Task ConflictsAsync(string path, string json, string table, string name)
    {
        var before = await host.CountAsync(table);
        Assert.Contains(name, await ProblemAsync(await host.PostJsonAsync(path, json), HttpStatusCode.Conflict));
        Assert.Equal(before, await host.CountAsync(table));
    }

    [Fact]
    public async Task AClusterIsListedWithItsArea()
    {
        var name = Unique("Lake zone");

        var id = await CreatedIdAsync(await host.PostJsonAsync("/api/v1/clusters", $$"""{"name":"{{name}}","managerName":"Joyce","latitude":-2.55,"longitude":32.95,"area":{{Square}}}"""));

        var cluster = await ItemAsync("/api/v1/clusters", id);
        Assert.Equal(name, cluster.GetProperty("name").GetString());
        Assert.Equal("Joyce", cluster.GetProperty("managerName").GetString());
        Assert.Equal(-2.55m, cluster.GetProperty("latitude").GetDecimal());
        Assert.Equal("Polygon", cluster.GetProperty("area").GetProperty("type").GetString());
        Assert.Equal(5, cluster.GetProperty("area").GetProperty("coordinates")[0].GetArrayLength());

        var plain = await CreatedIdAsync(await host.PostJsonAsync("/api/v1/clusters", $$"""{"name":"{{Unique("Plain")}}","latitude":-3.1,"longitude":33.2,"area":null}"""));
        Assert.Equal(JsonValueKind.Null, (await ItemAsync("/api/v1/clusters", plain)).GetProperty("area").ValueKind);
        await ConflictsAsync("/api/v1/clusters", $$"""{"name":" {{name}} ","latitude":-3.1,"longitude":33.2}""", "clusters", name);
    }

    [Theory]
    [InlineData("""{"latitude":-2.5,"longitude":32.9}""", "name")]
    [InlineData("""{"name":"   ","latitude":-2.5,"longitude":32.9}""", "name")]
    [InlineData("""{"name":"North","latitude":-2.5}""", "longitude")]
    [InlineData("""{"name":"North","latitude":-91,"longitude":32.9}""", "latitude")]
    [InlineData("""{"name":"North","latitude":"far","longitude":32.9}""", "latitude")]
    [InlineData("""{"name":"North","latitude":-2.5,"longitude":32.9,"area":{"type":"Point","coordinates":[32.9,-2.5]}}""", "area")]
    [InlineData("""{"name":"North","latitude":-2.5,"longitude":32.9,"area":{"type":"Polygon","coordinates":[[[32.9,-2.5],[33.0,-2.5],[32.9,-2.6]]]}}""", "area")]
    [InlineData("""{"name":"North","latitude":-2.5,"longitude":32.9,"area":{"type":"Polygon","coordinates":[[[32.9,-2.5],[33.0,-2.5],[33.0,-2.6],[32.9,-2.7]]]}}""", "area")]
    [InlineData("""{"name":"North","latitude":-2.5,"longitude":32.9,"area":{"type":"Polygon","coordinates":[[[32.9,-2.5],[33.0,-95],[33.0,-2.6],[32.9,-2.5]]]}}""", "area")]
    [InlineData("""{"name":"North","latitude":-2.5,"longitude":32.9,"area":"a field"}""", "area")]
    public async Task ABadClusterNamesTheField(string json, string field)
    {
        var errors = await RejectedAsync("/api/v1/clusters", json, "clusters");

        Assert.Equal(field, Assert.Single(errors.Keys));
    }

    [Fact]
    public async Task MiniGridsAndVillagesBelongToAnExistingParent()
    {
        var gridName = Unique("Grid");
        var grid = await CreatedIdAsync(await host.PostAsync("/api/v1/mini-grids", new { name = gridName, clusterId = host.ClusterId, latitude = -2.6m, longitude = 33.1m }));
        var village = await CreatedIdAsync(await host.PostAsync("/api/v1/villages", new { name = "Bukoba", miniGridId = grid, latitude = -2.61m, longitude = 33.11m }));
        // The same village name under another mini-grid is another village.
        await CreatedIdAsync(await host.PostAsync("/api/v1/villages", new { name = "Bukoba", miniGridId = host.MiniGridId, latitude = -2.62m, longitude = 33.12m }));

        var listedGrid = await ItemAsync("/api/v1/mini-grids", grid);
        var listedVillage = await ItemAsync("/api/v1/villages", village);
        Assert.Equal(gridName, listedGrid.GetProperty("name").GetString());
        Assert.Equal(host.ClusterId, listedGrid.GetProperty("clusterId").GetInt64());
        Assert.Equal(33.1m, listedGrid.GetProperty("longitude").GetDecimal());
        Assert.Equal("Bukoba", listedVillage.GetProperty("name").GetString());
        Assert.Equal(grid, listedVillage.GetProperty("miniGridId").GetInt64());

        Assert.Contains("999999", (await RejectedAsync("/api/v1/mini-grids", """{"name":"Orphan","clusterId":999999,"latitude":1,"longitude":1}""", "mini_grids"))["clusterId"]);
        Assert.Contains("999999", (await RejectedAsync("/api/v1/villages", """{"name":"Orphan","miniGridId":999999,"latitude":1,"longitude":1}""", "villages"))["miniGridId"]);
        Assert.Equal(["clusterId", "latitude", "longitude", "name"], (await RejectedAsync("/api/v1/mini-grids", "{}", "mini_grids")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["latitude", "longitude", "miniGridId", "name"], (await RejectedAsync("/api/v1/villages", "{}", "villages")).Keys.Order(StringComparer.Ordinal));
        await ConflictsAsync("/api/v1/mini-grids", $$"""{"name":"{{gridName}}","clusterId":{{host.ClusterId}},"latitude":1,"longitude":1}""", "mini_grids", gridName);
        await ConflictsAsync("/api/v1/villages", $$"""{"name":"Bukoba","miniGridId":{{grid}},"latitude":1,"longitude":1}""", "villages", "Bukoba");
    }

    [Fact]
    public async Task ATariffIsListedWithItsTotalPriceAndAccessRate()
    {
        var name = Unique("Business");

        var id = await CreatedIdAsync(await host.PostAsync("/api/v1/tariffs", new
        {
            name,
            pricePerKWh = 100m,
            components = new[] { new { name = "VAT", pricePerKWh = 10m }, new { name = "EWURA", pricePerKWh = 5.5m } },
            minimumPurchase = 1000m,
            accessRate = new { amount = 2500m, periodDays = 30 },
        }));

        var tariff = await ItemAsync("/api/v1/tariffs", id);
        Assert.Equal(name, tariff.GetProperty("name").GetString());
        Assert.Equal(100m, tariff.GetProperty("pricePerKWh").GetDecimal());
        Assert.Equal(115.5m, tariff.GetProperty("totalPricePerKWh").GetDecimal());
        Assert.Equal(["VAT", "EWURA"], tariff.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(1000m, tariff.GetProperty("minimumPurchase").GetDecimal());
        Assert.Equal(2500m, tariff.GetProperty("accessRate").GetProperty("amount").GetDecimal());
        Assert.Equal(30, tariff.GetProperty("accessRate").GetProperty("periodDays").GetInt32());

        var plain = await ItemAsync("/api/v1/tariffs", host.PlainTariffId);
        Assert.Equal(0m, plain.GetProperty("minimumPurchase").GetDecimal());
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("accessRate").ValueKind);
        Assert.Equal(0, plain.GetProperty("components").GetArrayLength());

        var components = await host.CountAsync("tariff_components");
        await ConflictsAsync("/api/v1/tariffs", $$"""{"name":"{{name}}","pricePerKWh":1,"components":[{"name":"VAT","pricePerKWh":1}]}""", "tariffs", name);
        Assert.Equal(components, await host.CountAsync("tariff_components"));
    }

    [Theory]
    [InlineData("""{"pricePerKWh":100}""", "name")]
    [InlineData("""{"name":"T"}""", "pricePerKWh")]
    [InlineData("""{"name":"T","pricePerKWh":0}""", "pricePerKWh")]
    [InlineData("""{"name":"T","pricePerKWh":0.00001}""", "pricePerKWh")]
    [InlineData("""{"name":"T","pricePerKWh":10000000000}""", "pricePerKWh")]
    [InlineData("""{"name":"T","pricePerKWh":100,"minimumPurchase":-1}""", "minimumPurchase")]
    [InlineData("""{"name":"T","pricePerKWh":100,"minimumPurchase":10.005}""", "minimumPurchase")]
    [InlineData("""{"name":"T","pricePerKWh":100,"components":[{"name":"VAT","pricePerKWh":1},{"name":"Levy","pricePerKWh":-1}]}""", "components[1].pricePerKWh")]
    [InlineData("""{"name":"T","pricePerKWh":100,"components":[{"pricePerKWh":1}]}""", "components[0].name")]
    [InlineData("""{"name":"T","pricePerKWh":100,"components":[{"name":"VAT","pricePerKWh":1},{"name":"vat","pricePerKWh":2}]}""", "components[1].name")]
    [InlineData("""{"name":"T","pricePerKWh":100,"components":[null]}""", "components[0]")]
    [InlineData("""{"name":"T","pricePerKWh":100,"components":[{"name":"VAT","pricePerKWh":"ten"}]}""", "components[0].pricePerKWh")]
    [InlineData("""{"name":"T","pricePerKWh":100,"accessRate":{"amount":1000}}""", "accessRate.periodDays")]
    [InlineData("""{"name":"T","pricePerKWh":100,"accessRate":{"amount":1000,"periodDays":0}}""", "accessRate.periodDays")]
    [InlineData("""{"name":"T","pricePerKWh":100,"accessRate":{"periodDays":7}}""", "accessRate.amount")]
    [InlineData("""{"name":"T","pricePerKWh":100,"accessRate":{"amount":0,"periodDays":7}}""", "accessRate.amount")]
    public async Task ABadTariffNamesTheFieldAndStoresNothing(string json, string field)
    {
        var components = await host.CountAsync("tariff_components");

        var errors = await RejectedAsync("/api/v1/tariffs", json, "tariffs");

        Assert.Equal(field, Assert.Single(errors.Keys));
        Assert.Equal(components, await host.CountAsync("tariff_components"));
    }

    [Theory]
    [InlineData("/api/v1/connection-types", "connection_types")]
    [InlineData("/api/v1/connection-groups", "connection_groups")]
    public async Task CustomerGroupsAreNames(string path, string table)
    {
        var name = Unique("Productive use");

        var id = await CreatedIdAsync(await host.PostAsync(path, new { name }));

        Assert.Equal(name, (await ItemAsync(path, id)).GetProperty("name").GetString());
        await ConflictsAsync(path, $$"""{"name":"{{name}}"}""", table, name);
        Assert.Equal("name", Assert.Single((await RejectedAsync(path, """{"name":""}""", table)).Keys));
        Assert.Equal("name", Assert.Single((await RejectedAsync(path, $$"""{"name":"{{new string('x', 101)}}"}""", table)).Keys));
    }

    [Fact]
    public async Task AManufacturerKeepsItsSettingsWithTheSecretEncrypted()
    {
        var name = Unique("Hexing");

        var id = await CreatedIdAsync(await host.PostJsonAsync("/api/v1/manufacturers", $$"""
            {"name":"{{name}}","tokenGenerator":"sts","settings":{"vendingKey":"{{VendingKey}}","keyGeneration":"04","encryption":"07",
             "supplyGroupCode":"600727","tariffIndex":2,"keyRevision":1,"keyType":"2","baseDate":"1993"} }
            """));

        var listed = await ItemAsync("/api/v1/manufacturers", id);
        Assert.Equal(name, listed.GetProperty("name").GetString());
        Assert.Equal("sts", listed.GetProperty("tokenGenerator").GetString());
        Assert.DoesNotContain(VendingKey, await (await host.Client.GetAsync("/api/v1/manufacturers")).Content.ReadAsStringAsync());
        var stored = await host.Database.ScalarAsync<string>($"SELECT values::text FROM mpm.plugin_settings WHERE plugin_id = 'sts' AND scope = 'manufacturer:{id}'");
        Assert.DoesNotContain(VendingKey, stored);

        await using var scope = host.Factory.Services.CreateAsyncScope();
        var settings = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().GetAsync("sts", PluginSettingsStore.ManufacturerScope(id));
        Assert.Equal(VendingKey, settings["vendingKey"]);
        Assert.Equal("07", settings["encryption"]);
        Assert.Equal("600727", settings["supplyGroupCode"]);
        Assert.Equal("2", settings["tariffIndex"]);
        Assert.Equal("1993", settings["baseDate"]);

        // Settings left out take the plugin's defaults.
        var defaults = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().GetAsync("sts", PluginSettingsStore.ManufacturerScope(host.ManufacturerId));
        Assert.Equal("04", defaults["keyGeneration"]);
        Assert.Equal("2014", defaults["baseDate"]);
        Assert.Equal("123456", defaults["supplyGroupCode"]);
    }

    [Theory]
    [InlineData("""{"tokenGenerator":"sts","settings":{"vendingKey":"00","supplyGroupCode":"1"}}""", "name")]
    [InlineData("""{"name":"M"}""", "tokenGenerator")]
    [InlineData("""{"name":"M","tokenGenerator":"hello"}""", "tokenGenerator")]
    [InlineData("""{"name":"M","tokenGenerator":"nosuch"}""", "tokenGenerator")]
    [InlineData("""{"name":"M","tokenGenerator":"sts","settings":{"supplyGroupCode":"123456"}}""", "settings.vendingKey")]
    [InlineData("""{"name":"M","tokenGenerator":"sts","settings":{"vendingKey":"00","supplyGroupCode":"123456","keyGeneration":"03"}}""", "settings.keyGeneration")]
    [InlineData("""{"name":"M","tokenGenerator":"sts","settings":{"vendingKey":"00","supplyGroupCode":"123456","tariffIndex":"one"}}""", "settings.tariffIndex")]
    [InlineData("""{"name":"M","tokenGenerator":"sts","settings":{"vendingKey":"00","supplyGroupCode":"123456","colour":"red"}}""", "settings.colour")]
    [InlineData("""{"name":"M","tokenGenerator":"sts","settings":{"vendingKey":"00","supplyGroupCode":{"code":1}}}""", "settings.supplyGroupCode")]
    [InlineData("""{"name":"M","tokenGenerator":"sts","settings":["vendingKey"]}""", "settings")]
    public async Task ABadManufacturerNamesTheFieldAndStoresNothing(string json, string field)
    {
        var settings = await host.CountAsync("plugin_settings");

        var errors = await RejectedAsync("/api/v1/manufacturers", json, "manufacturers");

        Assert.Equal(field, Assert.Single(errors.Keys));
        Assert.Equal(settings, await host.CountAsync("plugin_settings"));
    }

    [Fact]
    public async Task AManufacturerNameIsTakenOnce()
    {
        var name = Unique("Conlog");
        await CreatedIdAsync(await host.PostAsync("/api/v1/manufacturers", new { name, tokenGenerator = "sts", settings = new { vendingKey = VendingKey, supplyGroupCode = "123456" } }));
        var settings = await host.CountAsync("plugin_settings");

        await ConflictsAsync("/api/v1/manufacturers", $$"""{"name":"{{name}}","tokenGenerator":"sts","settings":{"vendingKey":"{{VendingKey}}","supplyGroupCode":"123456"} }""", "manufacturers", name);

        Assert.Equal(settings, await host.CountAsync("plugin_settings"));
    }

    [Fact]
    public async Task EveryChangeIsAuditedUnderTheApiKeysName()
    {
        var clusterName = Unique("Audited");
        var cluster = await CreatedIdAsync(await host.PostAsync("/api/v1/clusters", new { name = clusterName, latitude = -3m, longitude = 33m }));
        var grid = await CreatedIdAsync(await host.PostAsync("/api/v1/mini-grids", new { name = Unique("Audited"), clusterId = cluster, latitude = -3m, longitude = 33m }));
        var village = await CreatedIdAsync(await host.PostAsync("/api/v1/villages", new { name = "Audited", miniGridId = grid, latitude = -3m, longitude = 33m }));
        var tariff = await CreatedIdAsync(await host.PostAsync("/api/v1/tariffs", new { name = Unique("Audited"), pricePerKWh = 1m }));
        var type = await CreatedIdAsync(await host.PostAsync("/api/v1/connection-types", new { name = Unique("Audited") }));
        var group = await CreatedIdAsync(await host.PostAsync("/api/v1/connection-groups", new { name = Unique("Audited") }));
        var manufacturer = await CreatedIdAsync(await host.PostAsync("/api/v1/manufacturers", new { name = Unique("Audited"), tokenGenerator = "sts", settings = new { vendingKey = VendingKey, supplyGroupCode = "123456" } }));

        var entries = await host.Database.ScalarAsync<string>("SELECT string_agg(action || ' ' || details, E'\\n') FROM mpm.audit_log WHERE actor = 'api-key:registration app'");

        Assert.Contains($"cluster.create cluster {cluster}: {clusterName}", entries);
        Assert.Contains($"mini-grid.create mini-grid {grid}:", entries);
        Assert.Contains($"village.create village {village}: Audited", entries);
        Assert.Contains($"tariff.create tariff {tariff}:", entries);
        Assert.Contains($"connection-type.create connection type {type}:", entries);
        Assert.Contains($"connection-group.create connection group {group}:", entries);
        Assert.Contains($"manufacturer.create manufacturer {manufacturer}:", entries);
        Assert.Contains($"plugin.settings sts (manufacturer:{manufacturer})", entries);
        Assert.DoesNotContain(VendingKey, entries);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryRoute()
    {
        var document = await JsonAsync(await host.Factory.CreateClient().GetAsync("/api/v1/openapi.json"));
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "registrations", "customers", "meters", "meters/{serial}", "clusters", "mini-grids", "villages", "tariffs", "connection-types", "connection-groups", "manufacturers" })
        {
            Assert.True(paths.TryGetProperty($"/api/v1/{path}", out _), $"/api/v1/{path} is not in the OpenAPI document");
        }

        var register = paths.GetProperty("/api/v1/registrations").GetProperty("post");
        Assert.True(register.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(register.GetProperty("responses").TryGetProperty("409", out _));
    }
}
