using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MPM.Testing;
using MPM.Web;
using MPM.Web.Cli;

namespace MPM.Integration.Tests.Demo;

/// <summary>The host as the CLI builds it (nothing started, no scheduler) on a test database, with the test's plugins.</summary>
public sealed class DemoTestHost : IAsyncDisposable
{
    private DemoTestHost(TestDatabase database, WebApplication app)
    {
        Database = database;
        App = app;
    }

    public TestDatabase Database { get; }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<DemoTestHost> StartAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var app = MpmApp.Build([$"--ConnectionStrings:Mpm={database.ConnectionString}"], cli: true);
        await app.Services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
        return new DemoTestHost(database, app);
    }

    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CliRunner.RunAsync(Services, args[0], args[1..], output, error);
        return (code, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>A clock stopped at one instant.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
