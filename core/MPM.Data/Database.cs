using System.Reflection;
using LinqToDB;
using LinqToDB.DataProvider.PostgreSQL;
using MPM.Data.Migrations;
using MPM.Data.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MPM.Data;

/// <summary>
/// Where the database is: <c>ConnectionStrings:Mpm</c> when configured, otherwise a private cluster under the data
/// directory (<c>MPM_DATA_DIR</c>, default <c>./data</c>). Nothing is started until <see cref="EnsureStartedAsync"/>.
/// </summary>
public sealed class Database(IConfiguration configuration, ILogger<Database> logger) : IAsyncDisposable
{
    public const string DatabaseName = "mpm";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EmbeddedPostgres? _embedded;
    private NpgsqlDataSource? _dataSource;
    private DataOptions? _options;
    private string? _connectionString;

    public static MigrationSet CoreMigrations { get; } = new("core", "mpm", typeof(Database).Assembly, "Sql");

    public string DataDirectory => Path.GetFullPath(configuration["MPM_DATA_DIR"] ?? "data");

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The database has not been started.");

    public string ConnectionString => DataSource.ConnectionString;

    /// <summary>The full settings of the started database's connection (password included), for client tools such as pg_dump.</summary>
    public NpgsqlConnectionStringBuilder ConnectionSettings() =>
        new(_connectionString ?? throw new InvalidOperationException("The database has not been started."));

    /// <summary>A new linq2db connection for one unit of work; the caller disposes it.</summary>
    public MpmDb Connect() => new(_options ?? throw new InvalidOperationException("The database has not been started."));

    public bool IsEmbedded => _embedded is not null;

    public async Task EnsureStartedAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_dataSource is not null)
            {
                return;
            }

            var configured = configuration.GetConnectionString("Mpm");
            string connectionString;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                connectionString = configured;
                logger.LogInformation("Using the PostgreSQL server of ConnectionStrings:Mpm");
            }
            else
            {
                var embedded = EmbeddedPostgres.For(DataDirectory);
                logger.LogInformation("Using the embedded PostgreSQL cluster in {Cluster}", embedded.ClusterDirectory);
                await embedded.StartAsync(cancellationToken);
                _embedded = embedded;
                await CreateDatabaseIfMissingAsync(embedded.AdminConnectionString(), DatabaseName, cancellationToken);
                connectionString = embedded.AdminConnectionString(DatabaseName);
            }

            // The pipeline runs the same few statements all day: prepared once per connection, PostgreSQL parses and plans
            // them once. A connection string that sets its own Max Auto Prepare keeps it.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 200;
                builder.AutoPrepareMinUsages = 2;
                connectionString = builder.ConnectionString;
            }

            _connectionString = connectionString;
            _dataSource = NpgsqlDataSource.Create(connectionString);
            _options = new DataOptions().UsePostgreSQL(connectionString, PostgreSQLVersion.v15);
        }
        finally
        {
            _gate.Release();
        }
    }

    public static async Task CreateDatabaseIfMissingAsync(string adminConnectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new() { Value = name });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }

    /// <summary>A plugin's migrations: SQL files embedded under its Migrations folder, applied in its own schema.</summary>
    public static MigrationSet PluginMigrations(string pluginId, Assembly assembly) =>
        new($"plugin:{pluginId}", PluginSchema(pluginId), assembly, "Migrations");

    public static string PluginSchema(string pluginId) => "plg_" + pluginId.Replace('-', '_').Replace('.', '_');
}
