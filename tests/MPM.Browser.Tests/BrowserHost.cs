using Microsoft.Playwright;
using MPM.Testing;
using Xunit;

namespace MPM.Browser.Tests;

/// <summary>
/// The real host on a loopback port (its own database, the default plugins.json: hello and openpaygo), an admin, and
/// Debian's Chromium driven by Playwright. One per test class. A derived host may load other plugins and seed data.
/// </summary>
public class BrowserHost : IAsyncLifetime
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
        Factory = new MpmWebFactory(Database, PluginsFile);
        BaseUrl = Factory.StartOnRealPort();
        await Factory.AddUserAsync(AdminEmail, Password, "admin");
        await SeedAsync();
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>The plugins.json the host loads; null: the test's own (hello and openpaygo).</summary>
    protected virtual string? PluginsFile => null;

    /// <summary>Data the tests of a derived host share, stored once the host runs.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

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
