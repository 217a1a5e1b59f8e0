using MPM.Data;
using MPM.Data.Postgres;
using Npgsql;

namespace MPM.Testing;

/// <summary>
/// The PostgreSQL server of a test run: <c>MPM_TEST_DATABASE</c> (an admin connection string) when set, otherwise a
/// throw-away embedded cluster for this test process, started with the machine's server binaries and stopped at exit.
/// A missing server fails the tests loudly, naming what to install.
/// </summary>
public static class TestPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static string? _template;

    public static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_adminConnectionString is not null)
            {
                return _adminConnectionString;
            }

            var external = Environment.GetEnvironmentVariable("MPM_TEST_DATABASE");
            if (!string.IsNullOrWhiteSpace(external))
            {
                return _adminConnectionString = external;
            }

            var folder = Path.Combine(Path.GetTempPath(), "mpm-tests", $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
            var cluster = EmbeddedPostgres.For(folder);
            await cluster.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
                TryDelete(folder);
                TryDelete(cluster.ClusterDirectory);
            };
            return _adminConnectionString = cluster.AdminConnectionString();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new, fully migrated database (core schema), cloned from a template migrated once per run.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var admin = await AdminConnectionStringAsync();
        var template = await TemplateAsync(admin);
        var name = $"mpm_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(admin, name);
    }

    private static async Task<string> TemplateAsync(string admin)
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var name = $"mpm_template_{Guid.NewGuid():N}"[..30];
            await Database.CreateDatabaseIfMissingAsync(admin, name, CancellationToken.None);
            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false };
            await using (var source = NpgsqlDataSource.Create(builder.ConnectionString))
            {
                var runner = new MPM.Data.Migrations.MigrationRunner(source, Microsoft.Extensions.Logging.Abstractions.NullLogger<MPM.Data.Migrations.MigrationRunner>.Instance);
                await runner.ApplyAsync([Database.CoreMigrations]);
            }

            return _template = name;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A database of its own for one test class; dropped on dispose.</summary>
public sealed class TestDatabase(string adminConnectionString, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
