using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MPM.Web.Settings;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class ManufacturerPagesTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private const string VendingKey = "0123456789ABCDEF0123456789ABCDEF01234567";

    private static Dictionary<string, string> Manufacturer(string name, string tokenGenerator = "sts") => new()
    {
        ["Input.Name"] = name,
        ["Input.TokenGenerator"] = tokenGenerator,
    };

    private static Dictionary<string, string> StsSettings(string vendingKey, string supplyGroupCode = "123456", string keyGeneration = "04") => new()
    {
        ["values[vendingKey]"] = vendingKey,
        ["values[keyGeneration]"] = keyGeneration,
        ["values[encryption]"] = "11",
        ["values[supplyGroupCode]"] = supplyGroupCode,
        ["values[tariffIndex]"] = "1",
        ["values[keyRevision]"] = "1",
        ["values[keyType]"] = "2",
        ["values[baseDate]"] = "2014",
    };

    private Task<long> IdOfAsync(string name) => host.ScalarAsync<long>("SELECT id FROM mpm.manufacturers WHERE name = @name", ("name", name));

    private Task<string> StoredSettingsAsync(long id) =>
        host.ScalarAsync<string>("SELECT values::text FROM mpm.plugin_settings WHERE plugin_id = 'sts' AND scope = @scope", ("scope", PluginSettingsStore.ManufacturerScope(id)));

    [Fact]
    public async Task A_manager_creates_and_edits_a_manufacturer_served_by_an_active_token_plugin()
    {
        var response = await CatalogHost.PostAsync(host.Manager, "/Manufacturers/Edit", Manufacturer("Hexing"));

        CatalogHost.AssertRedirectTo(response, "/Manufacturers");
        var id = await IdOfAsync("Hexing");
        Assert.Equal("sts", await host.ScalarAsync<string>("SELECT token_generator FROM mpm.manufacturers WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "manufacturer.create", $"manufacturer {id}: Hexing, token generator sts"));

        var form = await CatalogHost.GetTextAsync(host.Manager, "/Manufacturers/Edit");
        Assert.Contains("<option value=\"sts\">", form);
        Assert.Contains("<option value=\"openpaygo\">", form);
        Assert.DoesNotContain("<option value=\"hello\">", form); // active, but not a token generator

        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, $"/Manufacturers/Edit/{id}", Manufacturer("Hexing Electrical", "openpaygo")), "/Manufacturers");
        Assert.Equal("openpaygo", await host.ScalarAsync<string>("SELECT token_generator FROM mpm.manufacturers WHERE id = @id", ("id", id)));

        var list = await CatalogHost.GetTextAsync(host.Viewer, "/Manufacturers");
        Assert.Contains("Hexing Electrical", list);
        Assert.DoesNotContain($"/Manufacturers/Settings/{id}", list);
    }

    [Theory]
    [InlineData("hello", "'hello' is not an active token generator plugin")]
    [InlineData("acme", "'acme' is not an active token generator plugin")]
    [InlineData("", "tokenGenerator is required")]
    public async Task A_manufacturer_needs_an_active_token_generator(string tokenGenerator, string error)
    {
        var before = await host.CountAsync("manufacturers");

        var response = await CatalogHost.PostAsync(host.Manager, "/Manufacturers/Edit", Manufacturer($"Maker {Guid.NewGuid():N}", tokenGenerator));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, await CatalogHost.TextAsync(response));
        Assert.Equal(before, await host.CountAsync("manufacturers"));
    }

    [Fact]
    public async Task A_duplicate_manufacturer_name_is_refused()
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Manufacturers/Edit", Manufacturer("Conlog")), "/Manufacturers");
        var before = await host.CountAsync("manufacturers");

        var response = await CatalogHost.PostAsync(host.Manager, "/Manufacturers/Edit", Manufacturer("Conlog", "openpaygo"));

        Assert.Contains("a manufacturer named Conlog already exists", await CatalogHost.TextAsync(response));
        Assert.Equal(before, await host.CountAsync("manufacturers"));
    }

    [Fact]
    public async Task An_admin_saves_the_sts_settings_of_a_manufacturer_with_the_vending_key_encrypted_and_never_shown()
    {
        var created = await CatalogHost.PostAsync(host.Admin, "/Manufacturers/Edit", Manufacturer("Inhemeter"));
        var id = await IdOfAsync("Inhemeter");
        CatalogHost.AssertRedirectTo(created, $"/Manufacturers/Settings/{id}");
        var empty = await CatalogHost.GetTextAsync(host.Admin, $"/Manufacturers/Settings/{id}");
        foreach (var key in new[] { "vendingKey", "keyGeneration", "encryption", "supplyGroupCode", "tariffIndex", "keyRevision", "keyType", "baseDate" })
        {
            Assert.Contains($"name=\"values[{key}]\"", empty);
        }

        Assert.Contains("placeholder=\"not set\"", empty);

        var saved = await CatalogHost.PostAsync(host.Admin, $"/Manufacturers/Settings/{id}", StsSettings(VendingKey));

        CatalogHost.AssertRedirectTo(saved, $"/Manufacturers/Settings/{id}");
        var stored = JsonDocument.Parse(await StoredSettingsAsync(id)).RootElement;
        Assert.StartsWith("enc:", stored.GetProperty("vendingKey").GetString());
        Assert.DoesNotContain(VendingKey, stored.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("123456", stored.GetProperty("supplyGroupCode").GetString());
        Assert.Equal("04", stored.GetProperty("keyGeneration").GetString());
        Assert.Equal("2014", stored.GetProperty("baseDate").GetString());
        Assert.Equal(VendingKey, await SettingAsync(id, "vendingKey"));

        var page = await host.Admin.GetStringAsync($"/Manufacturers/Settings/{id}");
        Assert.DoesNotContain(VendingKey, page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("set; leave blank to keep", WebUtility.HtmlDecode(page));
        Assert.Contains("value=\"123456\"", page);

        // A blank key keeps the stored one; a bad value elsewhere stores nothing and shows no key back.
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Admin, $"/Manufacturers/Settings/{id}", StsSettings("", supplyGroupCode: "654321")), $"/Manufacturers/Settings/{id}");
        Assert.Equal(VendingKey, await SettingAsync(id, "vendingKey"));
        Assert.Equal("654321", await SettingAsync(id, "supplyGroupCode"));
        const string otherKey = "FEDCBA9876543210FEDCBA9876543210FEDCBA98";
        var refused = await CatalogHost.PostAsync(host.Admin, $"/Manufacturers/Settings/{id}", StsSettings(otherKey, keyGeneration: "05"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedHtml = await CatalogHost.TextAsync(refused);
        Assert.Contains("Key generation algorithm must be one of 02, 04", refusedHtml);
        Assert.DoesNotContain(otherKey, refusedHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(VendingKey, await SettingAsync(id, "vendingKey"));
        Assert.Equal(2, await host.AuditCountAsync("admin@example.com", "plugin.settings", $"sts ({PluginSettingsStore.ManufacturerScope(id)})"));
    }

    [Fact]
    public async Task Only_admins_see_and_change_manufacturer_settings()
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Manufacturers/Edit", Manufacturer("Kamstrup")), "/Manufacturers");
        var id = await IdOfAsync("Kamstrup");

        CatalogHost.AssertForbidden(await host.Manager.GetAsync($"/Manufacturers/Settings/{id}"));
        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Manager, $"/Manufacturers/Settings/{id}", StsSettings(VendingKey), pageUrl: "/Manufacturers"));
        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, $"/Manufacturers/Settings/{id}", StsSettings(VendingKey), pageUrl: "/Manufacturers"));
        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, "/Manufacturers/Edit", Manufacturer("Viewer meters"), pageUrl: "/Manufacturers"));

        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.plugin_settings WHERE scope = @scope", ("scope", PluginSettingsStore.ManufacturerScope(id))));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.manufacturers WHERE name = 'Viewer meters'"));
        Assert.Contains("Kamstrup", await CatalogHost.GetTextAsync(host.Viewer, "/Manufacturers"));
    }

    [Fact]
    public async Task The_plugin_settings_page_renders_its_fields_with_the_shared_partial()
    {
        var page = await host.Admin.GetStringAsync("/Plugins/Settings/hello");

        Assert.Contains("name=\"values[greeting]\"", page);
        Assert.Contains("value=\"Hello\"", page);
        Assert.DoesNotContain("values[vendingKey]", await host.Admin.GetStringAsync("/Plugins/Settings/sts"));
    }

    private async Task<string?> SettingAsync(long manufacturerId, string key)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var settings = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().GetAsync("sts", PluginSettingsStore.ManufacturerScope(manufacturerId));
        return settings[key];
    }
}
