using Microsoft.Playwright;
using MPM.Testing;
using Xunit;

namespace MPM.Browser.Tests;

/// <summary>
/// The real host on a loopback port (its own database, the default plugins.json: hello and openpaygo), an admin, and
/// Debian's Chromium driven by Playwright. One per test class.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string AdminEmail = "admin@example.com";
    public const string Password = "browser-test-password";

    private IPlaywright? _playwright;

    public TestDatabase Database { get; private set; } = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(Database);
        BaseUrl = Factory.StartOnRealPort();
        await Factory.AddUserAsync(AdminEmail, Password, "admin");
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
