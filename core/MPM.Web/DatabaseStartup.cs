using MPM.Data;
using MPM.Data.Migrations;
using MPM.Web.Plugins;

namespace MPM.Web;

/// <summary>
/// Starts the database (embedded or external) and applies the core's and the active plugins' migrations.
/// Runs first among the hosted services when serving, and before any CLI verb that needs the database.
/// </summary>
public sealed class DatabaseStartup(Database database, PluginHost plugins, ILoggerFactory loggers) : IHostedService

{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _done;

    public int AppliedMigrations { get; private set; }

    public Database Database => database;

    public IReadOnlyList<MigrationSet> MigrationSets =>
        [Database.CoreMigrations, .. plugins.Active.Select(p => Database.PluginMigrations(p.Id, p.Assembly!))];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_done)
            {
                return;
            }

            await database.EnsureStartedAsync(cancellationToken);
            var runner = new MigrationRunner(database.DataSource, loggers.CreateLogger<MigrationRunner>());
            AppliedMigrations = await runner.ApplyAsync(MigrationSets, cancellationToken);
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
