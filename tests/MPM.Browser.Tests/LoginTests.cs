using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MPM.Browser.Tests;

public sealed class LoginTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<BrowserHost>
{
    [Fact]
    public Task AnAnonymousVisitorIsSentToTheLoginForm() => InBrowserAsync(async page =>
    {
        await page.GotoAsync("/Customers");

        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl=%2FCustomers$"));
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#mpm-sidebar")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task LoggingInThroughTheFormShowsTheShellAndTheSidebar() => InBrowserAsync(async page =>
    {
        await LogInAsync(page, BrowserHost.AdminEmail, BrowserHost.Password);

        await Expect(page).ToHaveURLAsync(Host.BaseUrl + "/");
        await Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(BrowserHost.AdminEmail);
        await Expect(page.Locator("#mpm-user-role")).ToHaveTextAsync("admin");
        var sidebar = page.Locator("#mpm-sidebar");
        await Expect(sidebar).ToBeVisibleAsync();
        foreach (var title in new[] { "Clusters", "Customers", "Meters", "Targets", "Transactions", "Tickets", "Maintenance", "SMS", "Reports", "Settings", "Plugins", "Hello sample" })
        {
            await Expect(sidebar.Locator($"a.mpm-nav-link[title='{title}']")).ToBeVisibleAsync();
        }

        await Expect(sidebar.Locator("a.mpm-nav-link.active")).ToHaveAttributeAsync("title", "Clusters");
        // The styles were served: Bootstrap lays out the shell.
        Assert.Equal("flex", await page.Locator(".mpm-shell").EvaluateAsync<string>("e => getComputedStyle(e).display"));

        // Navigating by the sidebar marks the new section active.
        await sidebar.Locator("a.mpm-nav-link[title='Customers']").ClickAsync();
        await Expect(page).ToHaveURLAsync(Host.BaseUrl + "/Customers");
        await Expect(sidebar.Locator("a.mpm-nav-link.active")).ToHaveAttributeAsync("title", "Customers");
    });

    [Fact]
    public Task AWrongPasswordShowsTheLoginError() => InBrowserAsync(async page =>
    {
        await LogInAsync(page, BrowserHost.AdminEmail, "not-the-password");

        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong email or password.");
        await Expect(page.Locator("#mpm-sidebar")).ToHaveCountAsync(0);
        await Expect(page.Locator("#Input_Email")).ToHaveValueAsync(BrowserHost.AdminEmail);
    });

    [Fact]
    public Task LoggingOutReturnsToTheLoginForm() => InBrowserAsync(async page =>
    {
        await LogInAsAdminAsync(page);

        await page.ClickAsync("#mpm-logout");

        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login$"));
        await page.GotoAsync("/");
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
    });
}
