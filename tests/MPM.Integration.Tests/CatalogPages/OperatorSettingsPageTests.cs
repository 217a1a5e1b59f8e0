using System.Net;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class OperatorSettingsPageTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private static Dictionary<string, string> Operator(string name, string currency, string timeZone) => new()
    {
        ["Input.Name"] = name,
        ["Input.Currency"] = currency,
        ["Input.TimeZone"] = timeZone,
    };

    private Task<string> SettingAsync(string key) => host.ScalarAsync<string>("SELECT value FROM mpm.operator_settings WHERE key = @key", ("key", key));

    [Fact]
    public async Task The_settings_page_links_to_every_catalog_page()
    {
        var page = await host.Viewer.GetStringAsync("/Settings");

        foreach (var url in new[] { "/Places/Clusters", "/Tariffs", "/CustomerGroups", "/Manufacturers", "/AssetTypes" })
        {
            Assert.Contains($"href=\"{url}\"", page);
            Assert.Equal(HttpStatusCode.OK, (await host.Viewer.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task An_admin_changes_the_operator_settings_and_bad_values_store_nothing()
    {
        var saved = await CatalogHost.PostAsync(host.Admin, "/Settings", Operator("Kilimanjaro Power", "kes", "Africa/Nairobi"));

        CatalogHost.AssertRedirectTo(saved, "/Settings");
        Assert.Equal("Kilimanjaro Power", await SettingAsync("operator.name"));
        Assert.Equal("KES", await SettingAsync("operator.currency"));
        Assert.Equal("Africa/Nairobi", await SettingAsync("operator.timezone"));
        Assert.Equal(1, await host.AuditCountAsync("admin@example.com", "operator.settings", "name 'Mini-grid operator' → 'Kilimanjaro Power'"));

        foreach (var (fields, error) in new[]
        {
            (Operator("Other", "TZ", "Africa/Dar_es_Salaam"), "currency must be a 3-letter ISO 4217 code"),
            (Operator("Other", "T1S", "Africa/Dar_es_Salaam"), "currency must be a 3-letter ISO 4217 code"),
            (Operator("Other", "TZS", "Mars/Olympus_Mons"), "time zone must be an IANA time zone id"),
            (Operator("Other", "TZS", "E. Africa Standard Time"), "time zone must be an IANA time zone id"),
            (Operator("Other", "TZS", "../../etc/passwd"), "time zone must be an IANA time zone id"),
            (Operator("", "TZS", "Africa/Dar_es_Salaam"), "name is required"),
        })
        {
            var response = await CatalogHost.PostAsync(host.Admin, "/Settings", fields);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(error, await CatalogHost.TextAsync(response));
            Assert.Equal("Kilimanjaro Power", await SettingAsync("operator.name"));
            Assert.Equal("KES", await SettingAsync("operator.currency"));
            Assert.Equal("Africa/Nairobi", await SettingAsync("operator.timezone"));
        }
    }

    [Fact]
    public async Task Managers_and_viewers_read_but_cannot_change_the_operator_settings()
    {
        var before = await SettingAsync("operator.currency");

        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Manager, "/Settings", Operator("Manager's", "USD", "UTC")));
        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, "/Settings", Operator("Viewer's", "USD", "UTC")));

        Assert.Equal(before, await SettingAsync("operator.currency"));
        var page = await host.Viewer.GetStringAsync("/Settings");
        Assert.Contains($"value=\"{before}\"", page);
        Assert.DoesNotContain("save-operator-settings", page);
    }
}
