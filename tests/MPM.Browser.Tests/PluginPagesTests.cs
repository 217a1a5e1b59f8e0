using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MPM.Browser.Tests;

public sealed class PluginPagesTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<BrowserHost>
{
    [Fact]
    public Task TheAdminSeesTheShippedPluginsActive() => InBrowserAsync(async page =>
    {
        await LogInAsAdminAsync(page);

        await page.Locator("#mpm-sidebar a.mpm-nav-link[title='Plugins']").ClickAsync();

        await Expect(page).ToHaveURLAsync(Host.BaseUrl + "/Plugins");
        foreach (var id in new[] { "hello", "openpaygo" })
        {
            var row = page.Locator($"#plugins-table tr[data-plugin-id='{id}']");
            await Expect(row.Locator(".plugin-status")).ToHaveTextAsync("active");
            await Expect(row.Locator(".plugin-reason")).ToHaveCountAsync(0);
        }

        await Expect(page.Locator("#plugins-table tr[data-plugin-id='hello'] td").Nth(2)).ToHaveTextAsync("1.0.0");
    });

    [Fact]
    public Task TheSamplePluginsPageGreetsInsideTheLayout() => InBrowserAsync(async page =>
    {
        await LogInAsAdminAsync(page);

        await page.Locator("#mpm-sidebar a.mpm-nav-link[title='Hello sample']").ClickAsync();

        await Expect(page).ToHaveURLAsync(Host.BaseUrl + "/plugins/hello");
        await Expect(page.Locator("#hello-greeting")).ToHaveTextAsync(new Regex($", {Regex.Escape(BrowserHost.AdminEmail)}!$"));
        await Expect(page.Locator("#mpm-sidebar")).ToBeVisibleAsync();
        await Expect(page.Locator("#mpm-sidebar a.mpm-nav-link.active")).ToHaveAttributeAsync("title", "Hello sample");
        await Expect(page).ToHaveTitleAsync("Hello sample · MPM Platform");
    });

    [Fact]
    public Task ChangingTheGreetingOnItsSettingsPageChangesThePluginsPage() => InBrowserAsync(async page =>
    {
        var greeting = $"Habari-{Guid.NewGuid():N}"[..14];
        await LogInAsAdminAsync(page);
        await page.GotoAsync("/Plugins");

        await page.Locator("#plugins-table tr[data-plugin-id='hello'] a", new() { HasText = "Settings" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Host.BaseUrl + "/Plugins/Settings/hello");
        await page.FillAsync("#setting-greeting", greeting);
        await page.ClickAsync("#settings-save");

        await Expect(page.Locator("#settings-saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#setting-greeting")).ToHaveValueAsync(greeting);
        await page.GotoAsync("/plugins/hello");
        await Expect(page.Locator("#hello-greeting")).ToHaveTextAsync($"{greeting}, {BrowserHost.AdminEmail}!");
    });
}
