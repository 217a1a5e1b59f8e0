using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MPM.Integration.Tests.Support;
using MPM.Sdk.Sms;
using MPM.Sdk.Weather;
using MPM.Web.Plugins;
using Xunit;
using static MPM.Integration.Tests.Support.FixturePlugins;

namespace MPM.Integration.Tests;

/// <summary>The plugin host on real fixture plugins: what loads, what fails and why, and what a good plugin contributes.</summary>
public sealed class PluginHostTests(FixturePluginsHost host) : IClassFixture<FixturePluginsHost>
{
    private PluginHost Plugins => host.Factory.Services.GetRequiredService<PluginHost>();

    [Fact]
    public async Task TheHostRunsAndServesPagesDespiteTheBrokenPlugins()
    {
        var client = await host.LoginAsync();

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"mpm-sidebar\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void EveryEntryOfPluginsJsonIsListedInOrder() =>
        Assert.Equal([Good, WrongSdk, Throwing, StraySdk, Missing, Unsafe, StraySdk, Disabled], Plugins.Plugins.Select(p => p.Id));

    [Fact]
    public void TheGoodAndTheStraySdkPluginsAreActive()
    {
        Assert.Equal([Good, StraySdk], Plugins.Active.Select(p => p.Id));
        var good = Plugins.Find(Good)!;
        Assert.Equal("2.3.4", good.Manifest!.Version);
        Assert.Equal(["other", "weather"], good.Manifest.Kinds);
        Assert.Null(good.FailureReason);
    }

    [Fact]
    public void TheBrokenEntriesFailWithTheirReason()
    {
        var byEntry = Plugins.Plugins.ToList();

        Assert.Equal(
            [PluginStatus.Active, PluginStatus.Failed, PluginStatus.Failed, PluginStatus.Active, PluginStatus.Failed, PluginStatus.Failed, PluginStatus.Failed, PluginStatus.Disabled],
            byEntry.Select(p => p.Status));
        Assert.Equal("plugin targets SDK 99; this host supports SDK 1", Reason(WrongSdk));
        Assert.Equal("Configure threw InvalidOperationException: the fixture refuses to start", Reason(Throwing));
        Assert.StartsWith("plugin folder not found: ", Reason(Missing));
        Assert.EndsWith(Path.Combine("plugins", "MPM.Fixtures.Missing"), Reason(Missing));
        Assert.Contains("unsafe plugin path '../x'", Reason(Unsafe));
        Assert.Equal(PluginStatus.Failed, byEntry[6].Status);
        Assert.Equal("plugin id 'fixture-stray-sdk' is listed twice in plugins.json", byEntry[6].FailureReason);
        Assert.Equal(PluginStatus.Disabled, byEntry[7].Status);

        string Reason(string id) => Assert.Single(byEntry, p => p.Id == id && p.Status == PluginStatus.Failed).FailureReason!;
    }

    [Fact]
    public void TheThrowingPluginLeavesNothingInTheContainer()
    {
        // It registered a keyed ISmsGateway before throwing: none of it may reach the host.
        Assert.Null(host.Factory.Services.GetKeyedService<ISmsGateway>(Throwing));
        Assert.False(host.Factory.Services.GetRequiredService<IServiceProviderIsKeyedService>().IsKeyedService(typeof(ISmsGateway), Throwing));
        Assert.Empty(host.Factory.Services.GetServices<ISmsGateway>());
    }

    [Fact]
    public async Task TheGoodPluginsKeyedWeatherProviderResolvesFromTheHost()
    {
        var weather = host.Factory.Services.GetRequiredKeyedService<IWeatherProvider>(Good);

        var forecast = Assert.Single(await weather.GetDailyForecastAsync(-1.3, 36.8, 1, CancellationToken.None));
        Assert.Equal(new DateOnly(2026, 1, 1), forecast.Date);
        Assert.Null(host.Factory.Services.GetKeyedService<IWeatherProvider>(StraySdk));
    }

    [Fact]
    public async Task TheGoodPluginsPageRendersInsideTheLayout()
    {
        var client = await host.LoginAsync(HostFixture.ViewerEmail);

        var response = await client.GetAsync("/plugins/fixture-good");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Good fixture page", Html.ElementText(html, "fixture-heading"));
        Assert.Contains("id=\"mpm-sidebar\"", html);
        Assert.Equal(HostFixture.ViewerEmail, Html.ElementText(html, "mpm-user-name"));
        // Its sidebar entry is there and active; the wrong-SDK plugin's is not.
        Assert.Matches("<a class=\"nav-link mpm-nav-link flex-grow-1 active\"\\s+href=\"/plugins/fixture-good\"", html);
        Assert.DoesNotContain("Must not appear", html);
    }

    [Fact]
    public async Task TheGoodPluginsPageNeedsALogin()
    {
        var response = await host.Factory.CreateBrowserLikeClient().GetAsync("/plugins/fixture-good");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task TheGoodPluginsEndpointAnswersWithItsPluginsJsonSetting()
    {
        var client = await host.LoginAsync(HostFixture.ViewerEmail);

        var response = await client.GetAsync("/plugins/fixture-good/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("pong").GetBoolean());
        Assert.Equal(GreetingFromFile, body.GetProperty("fromFile").GetString());
    }

    [Fact]
    public async Task AnAnonymousGetOfAPluginEndpointIsSentToTheLogin()
    {
        var response = await host.Factory.CreateBrowserLikeClient().GetAsync("/plugins/fixture-good/ping");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=%2Fplugins%2Ffixture-good%2Fping", response.Headers.Location.Query);
    }

    [Fact]
    public async Task TheAnonymousHookWritesToThePluginsOwnSchema()
    {
        // The table exists only if the plugin's migrations ran, in schema plg_fixture_good.
        Assert.Equal("plg_fixture_good", await host.ScalarAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'hits'"));
        Assert.Equal(1, await host.ScalarAsync<int>("SELECT count(*) FROM mpm_migrations.applied WHERE component = 'plugin:fixture-good' AND version = 1"));
        var client = host.Factory.CreateBrowserLikeClient();

        var response = await client.PostAsync("/plugins/fixture-good/hook", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(1, await host.ScalarAsync<int>("SELECT count(*) FROM plg_fixture_good.hits WHERE id = $1", id));
    }

    [Fact]
    public async Task TheStrayPluginsEndpointIsServedByTheSharedSdk()
    {
        var client = await host.LoginAsync();

        Assert.Equal("stray-ok", await client.GetStringAsync("/plugins/fixture-stray-sdk/ping"));
    }

    [Fact]
    public async Task TheGoodPluginsWwwrootIsServedUnderItsId()
    {
        var response = await host.Factory.CreateBrowserLikeClient().GetAsync("/plugins/fixture-good/asset.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fixture asset", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task FailedPluginsContributeNoEndpoints()
    {
        var client = await host.LoginAsync();

        var response = await client.GetAsync("/plugins/fixture-throwing/ping");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheRestApiListsStatusesAndReasons()
    {
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", await host.Factory.AddApiKeyAsync("plugin-host-test"));

        var plugins = await client.GetFromJsonAsync<JsonElement>("/api/v1/plugins");

        var rows = plugins.EnumerateArray().ToList();
        Assert.Equal(8, rows.Count);
        Assert.Equal(["active", "failed", "failed", "active", "failed", "failed", "failed", "disabled"], rows.Select(r => r.GetProperty("status").GetString()));
        var good = rows[0];
        Assert.Equal(Good, good.GetProperty("id").GetString());
        Assert.Equal("Good fixture", good.GetProperty("name").GetString());
        Assert.Equal("2.3.4", good.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, good.GetProperty("failureReason").ValueKind);
        Assert.Equal("plugin targets SDK 99; this host supports SDK 1", rows[1].GetProperty("failureReason").GetString());
        Assert.StartsWith("Configure threw InvalidOperationException", rows[2].GetProperty("failureReason").GetString());
        Assert.StartsWith("plugin folder not found", rows[4].GetProperty("failureReason").GetString());
        Assert.Contains("unsafe plugin path", rows[5].GetProperty("failureReason").GetString());
        Assert.Contains("listed twice", rows[6].GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task ThePluginsPageShowsEachFailureReasonToAdmins()
    {
        var client = await host.LoginAsync();

        var html = await client.GetStringAsync("/Plugins");

        Assert.Contains("active", Html.PluginRow(html, Good));
        Assert.Contains("active", Html.PluginRow(html, StraySdk, 0));
        foreach (var failed in Plugins.Plugins.Where(p => p.Status == PluginStatus.Failed))
        {
            Assert.Contains(failed.FailureReason!, Html.Decode(html));
        }

        Assert.Contains("plugin targets SDK 99; this host supports SDK 1", Html.PluginRow(html, WrongSdk));
        Assert.Contains("failed", Html.PluginRow(html, Throwing));
        Assert.Contains("Configure threw InvalidOperationException: the fixture refuses to start", Html.PluginRow(html, Throwing));
        Assert.Contains("plugin folder not found", Html.PluginRow(html, Missing));
        Assert.Contains("unsafe plugin path '../x'", Html.PluginRow(html, Unsafe));
        Assert.Contains("listed twice", Html.PluginRow(html, StraySdk, 1));
        Assert.Contains("disabled", Html.PluginRow(html, Disabled));
        // A settings form is offered for the active plugin that declares settings only.
        Assert.Contains("href=\"/Plugins/Settings/fixture-good\"", html);
        Assert.DoesNotContain("href=\"/Plugins/Settings/fixture-throwing\"", html);
    }

    [Fact]
    public async Task ThePluginsCliVerbIsKnownToTheHost()
    {
        var verb = Assert.Single(Plugins.CliVerbs);
        Assert.Equal(("fixture-echo", Good, false), (verb.Name, verb.PluginId, verb.NeedsDatabase));

        var output = new StringWriter();
        var code = await MPM.Web.Cli.CliRunner.RunAsync(host.Factory.Services, "fixture-echo", ["a", "b"], output, new StringWriter());

        Assert.Equal(0, code);
        Assert.Equal("a b", output.ToString().Trim());
    }
}
