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

            RemoveLeftovers(Path.Combine(Path.GetTempPath(), "mpm-tests"));
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

    /// <summary>
    /// Removes the clusters of earlier test processes that have ended. The test runner may end a test process before
    /// its exit handler has deleted the cluster (about 65 MB each), so each run sweeps up after the ones before it.
    /// A folder is named "{pid}-{guid}" after the process that owns it; a live owner's folder is never touched.
    /// </summary>
    private static void RemoveLeftovers(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(root))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], out var owner) || Directory.Exists($"/proc/{owner}"))
            {
                continue;
            }

            if (!Directory.Exists(Path.Combine(folder, "postgres")))
            {
                // Emptied already (EmbeddedPostgres.For would make the folder again): only the folder is left.
                TryDelete(folder);
                continue;
            }

            var cluster = EmbeddedPostgres.For(folder);
            if (File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")))
            {
                // Its owner died before stopping it.
                var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).FirstOrDefault(File.Exists);
                if (pgCtl is null)
                {
                    continue;
                }

                var stop = Environment.UserName == "root"
                    ? new System.Diagnostics.ProcessStartInfo("runuser", ["-u", "postgres", "--", pgCtl, "stop", "-m", "immediate", "-w", "-D", cluster.ClusterDirectory])
                    : new System.Diagnostics.ProcessStartInfo(pgCtl, ["stop", "-m", "immediate", "-w", "-D", cluster.ClusterDirectory]);
                stop.RedirectStandardOutput = stop.RedirectStandardError = true;
                using var process = System.Diagnostics.Process.Start(stop);
                process?.WaitForExit(30_000);
            }

            TryDelete(folder);
            TryDelete(cluster.ClusterDirectory);
            TryDelete(cluster.SocketDirectory);
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
