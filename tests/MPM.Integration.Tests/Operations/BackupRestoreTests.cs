using MPM.Integration.Tests.Support;
using MPM.Testing;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Operations;

/// <summary>The backup and restore verbs as an operator runs them: the built host as a process, pg_dump/pg_restore underneath.</summary>
public sealed class BackupRestoreTests
{
    private static Task<ProcessResult> RunAsync(Dictionary<string, string> environment, params string[] args) => HostProcess.RunAsync(args, environment);

    [Fact]
    public async Task A_restore_of_the_embedded_database_brings_back_the_data_of_the_backup_and_drops_later_changes()
    {
        var data = Directory.CreateTempSubdirectory("mpm-backup-").FullName;
        var file = Path.Combine(data, "mpm.backup");
        var environment = new Dictionary<string, string> { ["MPM_DATA_DIR"] = data };
        try
        {
            Assert.Equal(0, (await RunAsync(environment, "users", "add", "--email", "before@example.org", "--password", "a long password", "--role", "admin")).ExitCode);
            var backup = await RunAsync(environment, "backup", "--out", file);
            Assert.True(backup.ExitCode == 0, backup.ToString());
            Assert.StartsWith("Backed up database mpm on the embedded cluster (", backup.Lines[^1]);
            Assert.True(new FileInfo(file).Length > 0);
            Assert.False(File.Exists(file + ".partial"));
            Assert.Equal(0, (await RunAsync(environment, "users", "add", "--email", "after@example.org", "--password", "a long password", "--role", "viewer")).ExitCode);
            Assert.Equal(["after@example.org\tviewer", "before@example.org\tadmin"], (await RunAsync(environment, "users", "list")).Lines);

            var restore = await RunAsync(environment, "restore", "--in", file);

            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.StartsWith("Replacing database mpm on the embedded cluster (", restore.Lines[0]);
            Assert.Contains("schemas mpm, mpm_migrations", restore.Lines[0]);
            Assert.Equal($"with the backup {file} (database mpm, made {DateTime.UtcNow:yyyy-MM-dd}", restore.Lines[1][..(restore.Lines[1].IndexOf(" made ", StringComparison.Ordinal) + 16)]);
            Assert.StartsWith("Restored: ", restore.Lines[^1]);
            Assert.Equal(["before@example.org\tadmin"], (await RunAsync(environment, "users", "list")).Lines);
        }
        finally
        {
            Clusters.Remove(data);
        }
    }

    [Fact]
    public async Task A_restore_of_an_external_database_is_refused_while_another_session_is_connected_and_works_once_it_left()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__Mpm"] = database.ConnectionString };
        var file = Path.Combine(Path.GetTempPath(), $"mpm-{Guid.NewGuid():N}.backup");
        try
        {
            await ExecuteAsync(database, "INSERT INTO mpm.clusters (name, created_at) VALUES ('Backed up', now())");
            Assert.Equal(0, (await RunAsync(environment, "backup", "--out", file)).ExitCode);
            await ExecuteAsync(database, "DELETE FROM mpm.clusters WHERE name = 'Backed up'; INSERT INTO mpm.clusters (name, created_at) VALUES ('Made later', now())");

            await using (var host = new NpgsqlConnection(database.ConnectionString + ";Pooling=false"))
            {
                await host.OpenAsync();
                var refused = await RunAsync(environment, "restore", "--in", file);
                Assert.True(refused.ExitCode == 1, refused.ToString());
                Assert.Contains("1 other session(s) are connected to database", refused.Stderr);
                Assert.Equal(["Made later"], await ClustersAsync(database));
            }

            var restore = await RunAsync(environment, "restore", "--in", file);

            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Equal(["Backed up"], await ClustersAsync(database));
            Assert.True(await ScalarAsync(database, "SELECT count(*) FROM mpm_migrations.applied") > 5); // the migration history came back too
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_or_corrupt_backup_file_is_refused_and_changes_nothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__Mpm"] = database.ConnectionString };
        await ExecuteAsync(database, "INSERT INTO mpm.clusters (name, created_at) VALUES ('Kept', now())");
        var corrupt = Path.Combine(Path.GetTempPath(), $"mpm-{Guid.NewGuid():N}.backup");
        await File.WriteAllTextAsync(corrupt, "PGDMP but not really a backup");
        try
        {
            var missing = await RunAsync(environment, "restore", "--in", corrupt + ".nothing");
            var unreadable = await RunAsync(environment, "restore", "--in", corrupt);
            var noFlag = await RunAsync(environment, "restore");

            Assert.Equal((1, $"restore: no backup file {corrupt}.nothing; nothing was changed."), (missing.ExitCode, missing.Stderr.Trim()));
            Assert.Equal(1, unreadable.ExitCode);
            Assert.StartsWith($"restore: {corrupt} is not a readable backup (pg_restore: ", unreadable.Stderr.Trim());
            Assert.EndsWith("nothing was changed.", unreadable.Stderr.Trim());
            Assert.Equal((2, "restore: --in is required"), (noFlag.ExitCode, noFlag.Stderr.Trim()));
            Assert.Equal(["Kept"], await ClustersAsync(database));
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> ClustersAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT name FROM mpm.clusters ORDER BY name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
