using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MPM.Integration.Tests.Support;
using MPM.Sdk;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>
/// The settings form the host generates from fixture-good's declarations: endpoint (text, required, default),
/// apiKey (secret), retries (number; 7 in plugins.json) and vendingKey (a per-manufacturer secret, not on this form).
/// </summary>
public sealed class PluginSettingsTests(FixturePluginsHost host) : IClassFixture<FixturePluginsHost>
{
    private const string Page = "/Plugins/Settings/fixture-good";
    private const string Secret = "s3cret-Api-Key-4711";

    /// <summary>Each test starts with nothing stored for the plugin.</summary>
    private Task ResetAsync() => host.ExecuteAsync("DELETE FROM mpm.plugin_settings WHERE plugin_id = 'fixture-good'");

    private Task<string?> StoredRowAsync() =>
        host.ScalarAsync<string>("SELECT \"values\"::text FROM mpm.plugin_settings WHERE plugin_id = 'fixture-good' AND scope = 'plugin'");

    private async Task<Dictionary<string, string?>> StoredAsync() =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(await StoredRowAsync() ?? throw new InvalidOperationException("nothing stored"))!;

    private async Task<IReadOnlyDictionary<string, string?>> PluginSeesAsync()
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPluginSettings>().GetAsync(FixturePlugins.Good);
    }

    private static Task<HttpResponseMessage> SaveAsync(HttpClient client, string endpoint, string apiKey, string retries) =>
        MpmWebFactory.PostFormAsync(client, Page, new()
        {
            ["values[endpoint]"] = endpoint,
            ["values[apiKey]"] = apiKey,
            ["values[retries]"] = retries,
        });

    [Fact]
    public async Task TheFormShowsThePluginScopeSettingsWithTheirCurrentValues()
    {
        await ResetAsync();
        var client = await host.LoginAsync();

        var html = await client.GetStringAsync(Page);

        Assert.Contains("id=\"setting-endpoint\" name=\"values[endpoint]\" value=\"http://localhost\"", html);
        Assert.Contains("id=\"setting-retries\" name=\"values[retries]\" value=\"7\"", html);
        Assert.Contains("type=\"number\"", html);
        Assert.Matches("type=\"password\" id=\"setting-apiKey\" name=\"values\\[apiKey\\]\"[^>]*placeholder=\"not set\"", html);
        Assert.DoesNotContain("vendingKey", html);
    }

    [Fact]
    public async Task SavingStoresTheValuesAndTheSecretOnlyEncrypted()
    {
        await ResetAsync();
        var client = await host.LoginAsync();

        var response = await SaveAsync(client, "https://vendor.example/api", Secret, "3");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Page + "?saved=True", response.Headers.Location!.OriginalString);
        var raw = await StoredRowAsync();
        Assert.DoesNotContain(Secret, raw);
        var stored = await StoredAsync();
        Assert.Equal("https://vendor.example/api", stored["endpoint"]);
        Assert.Equal("3", stored["retries"]);
        Assert.StartsWith("enc:", stored["apiKey"]);
        // The change is audited without the secret.
        var audit = await host.ScalarAsync<string>("SELECT details FROM mpm.audit_log WHERE action = 'plugin.settings' ORDER BY id DESC LIMIT 1");
        Assert.Contains("fixture-good", audit);
        Assert.DoesNotContain(Secret, audit);

        // The plugin reads the secret decrypted; the page never shows it.
        Assert.Equal(Secret, (await PluginSeesAsync())["apiKey"]);
        var html = await client.GetStringAsync(response.Headers.Location.OriginalString);
        Assert.NotNull(Html.ElementText(html, "settings-saved"));
        Assert.Contains("value=\"https://vendor.example/api\"", html);
        Assert.DoesNotContain(Secret, html);
        Assert.Contains("(set; leave blank to keep)", Html.Decode(html));
        Assert.DoesNotContain(Secret, await client.GetStringAsync("/Plugins"));
    }

    [Fact]
    public async Task ABlankSecretKeepsTheStoredOne()
    {
        await ResetAsync();
        var client = await host.LoginAsync();
        await SaveAsync(client, "https://one.example", Secret, "1");
        var encrypted = (await StoredAsync())["apiKey"];

        var response = await SaveAsync(client, "https://two.example", "", "2");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await StoredAsync();
        Assert.Equal("https://two.example", stored["endpoint"]);
        Assert.Equal(encrypted, stored["apiKey"]);
        Assert.Equal(Secret, (await PluginSeesAsync())["apiKey"]);
    }

    [Fact]
    public async Task ANewSecretReplacesTheStoredOne()
    {
        await ResetAsync();
        var client = await host.LoginAsync();
        await SaveAsync(client, "https://one.example", Secret, "1");

        await SaveAsync(client, "https://one.example", "another-secret-value", "1");

        Assert.Equal("another-secret-value", (await PluginSeesAsync())["apiKey"]);
        Assert.DoesNotContain("another-secret-value", await StoredRowAsync());
    }

    private Task<string?> LastAuditAsync() =>
        host.ScalarAsync<string>("SELECT details FROM mpm.audit_log WHERE action = 'plugin.settings' AND details LIKE 'fixture-good %' ORDER BY id DESC LIMIT 1");

    [Fact]
    public async Task ChangingASecretIsAuditedByNameWithoutItsValue()
    {
        await ResetAsync();
        var client = await host.LoginAsync();
        await SaveAsync(client, "https://one.example", Secret, "1");

        var response = await SaveAsync(client, "https://one.example", "a-changed-secret-0815", "1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("a-changed-secret-0815", (await PluginSeesAsync())["apiKey"]);
        Assert.Equal("fixture-good (plugin): changed apiKey (secret)", await LastAuditAsync());
        // The encrypted form either: its tail (its head is the key ring's, the same for every value).
        var encrypted = (await StoredAsync())["apiKey"]!;
        var audit = await client.GetStringAsync("/Audit?Kind=plugin.settings");
        Assert.Contains("fixture-good (plugin): changed apiKey (secret)", Html.Decode(audit));
        Assert.DoesNotContain("a-changed-secret-0815", audit);
        Assert.DoesNotContain(encrypted[^20..], audit);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE details LIKE '%a-changed-secret-0815%' OR details LIKE '%' || $1 || '%'", encrypted[^20..]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(Secret)]
    public async Task SavingTheSameSecretOrABlankOneIsNoChange(string typed)
    {
        await ResetAsync();
        var client = await host.LoginAsync();
        await SaveAsync(client, "https://one.example", Secret, "1");
        var encrypted = (await StoredAsync())["apiKey"];

        var response = await SaveAsync(client, "https://one.example", typed, "1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(encrypted, (await StoredAsync())["apiKey"]);
        Assert.Equal(Secret, (await PluginSeesAsync())["apiKey"]);
        Assert.Equal("fixture-good (plugin): nothing changed", await LastAuditAsync());
    }

    [Fact]
    public async Task TextInANumberSettingIsRefusedAndNothingIsStored()
    {
        await ResetAsync();
        var client = await host.LoginAsync();
        await SaveAsync(client, "https://kept.example", Secret, "4");
        var before = await StoredRowAsync();

        var response = await SaveAsync(client, "https://changed.example", "a-new-secret-typed", "three");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<div class=\"invalid-feedback\">Retries must be a number</div>", html);
        Assert.Contains("form-control is-invalid", html);
        // What was typed is shown back, except the secret.
        Assert.Contains("value=\"three\"", html);
        Assert.DoesNotContain("a-new-secret-typed", html);
        Assert.DoesNotContain(Secret, html);
        Assert.Equal(before, await StoredRowAsync());
    }

    [Fact]
    public async Task ARequiredSettingMustNotBeCleared()
    {
        await ResetAsync();
        var client = await host.LoginAsync();

        var response = await SaveAsync(client, "", "", "1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Endpoint URL is required", await response.Content.ReadAsStringAsync());
        Assert.Null(await StoredRowAsync());
    }

    [Fact]
    public async Task StoredValuesWinOverPluginsJsonWhichWinsOverTheDefault()
    {
        await ResetAsync();
        var fresh = await PluginSeesAsync();
        Assert.Equal("http://localhost", fresh["endpoint"]);   // declared default
        Assert.Equal(FixturePlugins.RetriesFromFile, fresh["retries"]);   // plugins.json
        Assert.Null(fresh["apiKey"]);   // no default
        Assert.False(fresh.ContainsKey("vendingKey"));   // another scope
        Assert.False(fresh.ContainsKey("greeting"));   // in plugins.json, but not a declared setting

        var client = await host.LoginAsync();
        await SaveAsync(client, "https://stored.example", "", "5");
        var stored = await PluginSeesAsync();
        Assert.Equal("https://stored.example", stored["endpoint"]);
        Assert.Equal("5", stored["retries"]);

        // Clearing a stored value falls back to plugins.json again.
        await SaveAsync(client, "https://stored.example", "", "");
        Assert.Equal(FixturePlugins.RetriesFromFile, (await PluginSeesAsync())["retries"]);
    }

    [Theory]
    [InlineData("/Plugins/Settings/fixture-throwing")]
    [InlineData("/Plugins/Settings/fixture-missing")]
    [InlineData("/Plugins/Settings/no-such-plugin")]
    public async Task OnlyActivePluginsHaveASettingsPage(string page)
    {
        var client = await host.LoginAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(page)).StatusCode);
    }
}
