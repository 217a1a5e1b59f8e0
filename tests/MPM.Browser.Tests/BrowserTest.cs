using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Browser.Tests;

/// <summary>Runs a test in a fresh browser context; on failure, saves a screenshot of the page to the test output folder.</summary>
public abstract class BrowserTest(BrowserHost host, ITestOutputHelper output)
{
    /// <summary>Playwright's own waits (for an element, a navigation) give up after this long: bounded, never a fixed sleep.</summary>
    private const float TimeoutMs = 60_000;

    protected BrowserHost Host { get; } = host;

    protected ITestOutputHelper Output { get; } = output;

    protected async Task InBrowserAsync(Func<IPage, Task> test, [CallerMemberName] string name = "")
    {
        await using var context = await Host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Host.BaseUrl });
        context.SetDefaultTimeout(TimeoutMs);
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{GetType().Name}.{name}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                Output.WriteLine($"Screenshot of the failing page ({page.Url}): {file}");
            }
            catch (PlaywrightException e)
            {
                Output.WriteLine($"No screenshot: {e.Message}");
            }

            throw;
        }
    }

    protected static async Task LogInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.ClickAsync("#login-submit");
    }

    protected static async Task LogInAsAdminAsync(IPage page)
    {
        await LogInAsync(page, BrowserHost.AdminEmail, BrowserHost.Password);
        await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(BrowserHost.AdminEmail);
    }
}
