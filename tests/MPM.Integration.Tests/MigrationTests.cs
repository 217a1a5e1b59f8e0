using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using MPM.Data;
using MPM.Data.Migrations;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>The migration runner on an empty database of its own.</summary>
public sealed class MigrationTests(BlankDatabase blank) : IClassFixture<BlankDatabase>, IAsyncLifetime
{
    /// <summary>The runner's advisory lock key ("MPM_MIGR"), as PostgreSQL 15 takes it: a decimal bigint.</summary>
    private const long MigrationLockKey = 0x4D504D5F4D494752;

    private TestDatabase Db => blank.Database;

    private NpgsqlDataSource _source = null!;

    public Task InitializeAsync()
    {
        _source = NpgsqlDataSource.Create(Db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _source.DisposeAsync();

    private static MigrationRunner Runner(NpgsqlDataSource source) => new(source, NullLogger<MigrationRunner>.Instance);

    /// <summary>Each test starts from an empty database: the schemas of earlier tests are dropped.</summary>
    private async Task ResetAsync()
    {
        await using var command = _source.CreateCommand("""
            DROP SCHEMA IF EXISTS mpm CASCADE;
            DROP SCHEMA IF EXISTS mpm_migrations CASCADE;
            DROP SCHEMA IF EXISTS plg_fixture_good CASCADE;
            DROP SCHEMA IF EXISTS plg_test_only CASCADE;
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The real fixture plugin's assembly, loaded for its embedded scripts only (outside the default context).</summary>
    private static MigrationSet FixtureGoodMigrations()
    {
        var context = new AssemblyLoadContext("migration-test", isCollectible: true);
        var assembly = context.LoadFromAssemblyPath(Path.Combine(Repo.PluginRoot, "MPM.Fixtures.Good", "MPM.Fixtures.Good.dll"));
        return Database.PluginMigrations("fixture-good", assembly);
    }

    [Fact]
    public async Task TheCoreSetIsAppliedOnceAndRecorded()
    {
        await ResetAsync();
        var scripts = Database.CoreMigrations.Load();
        Assert.NotEmpty(scripts);
        Assert.Equal(scripts.Select(s => s.Version).Order(), scripts.Select(s => s.Version));

        Assert.Equal(scripts.Count, await Runner(_source).PendingCountAsync([Database.CoreMigrations]));
        Assert.Equal(scripts.Count, await Runner(_source).ApplyAsync([Database.CoreMigrations]));
        Assert.Equal(0, await Runner(_source).ApplyAsync([Database.CoreMigrations]));
        Assert.Equal(0, await Runner(_source).PendingCountAsync([Database.CoreMigrations]));

        var recorded = await ListAsync("SELECT version || ' ' || name FROM mpm_migrations.applied WHERE component = 'core' ORDER BY version");
        Assert.Equal(scripts.Select(s => $"{s.Version} {s.Name}"), recorded);
        Assert.Equal(1, await Db.ScalarAsync<int>("SELECT count(*) FROM mpm_migrations.applied WHERE component = 'core' AND version = 1 AND name = 'foundation'"));
        // The scripts ran in the core's schema.
        Assert.Equal("mpm", await Db.ScalarAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'users'"));
        Assert.Equal("mpm", await Db.ScalarAsync<string>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'audit_log'"));
    }

    [Fact]
    public async Task APluginSetGoesToItsOwnSchemaAndIsRecordedUnderItsComponent()
    {
        await ResetAsync();
        var plugin = FixtureGoodMigrations();
        Assert.Equal("plg_fixture_good", plugin.Schema);
        Assert.Equal([1], plugin.Load().Select(m => m.Version));

        Assert.Equal(Database.CoreMigrations.Load().Count + 1, await Runner(_source).ApplyAsync([Database.CoreMigrations, plugin]));
        Assert.Equal(0, await Runner(_source).ApplyAsync([Database.CoreMigrations, plugin]));

        Assert.Equal(["plg_fixture_good"], await ListAsync("SELECT table_schema FROM information_schema.tables WHERE table_name = 'hits'"));
        Assert.Equal(["1 hits"], await ListAsync("SELECT version || ' ' || name FROM mpm_migrations.applied WHERE component = 'plugin:fixture-good'"));
        // The plugin's table is usable by its unqualified script name only within its schema.
        await using var insert = _source.CreateCommand("INSERT INTO plg_fixture_good.hits DEFAULT VALUES");
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task APluginsVersionsAreCountedSeparatelyFromTheCores()
    {
        await ResetAsync();
        await Runner(_source).ApplyAsync([Database.CoreMigrations]);
        var plugin = FixtureGoodMigrations();

        // Core version 1 is applied; the plugin's version 1 is still pending.
        Assert.Equal(1, await Runner(_source).PendingCountAsync([Database.CoreMigrations, plugin]));
        Assert.Equal(1, await Runner(_source).ApplyAsync([Database.CoreMigrations, plugin]));
    }

    [Fact]
    public async Task AFailingScriptIsRolledBackAndNotRecorded()
    {
        await ResetAsync();
        var broken = new MigrationSet("plugin:test-only", "plg_test_only", typeof(MigrationTests).Assembly, "TestMigrations");
        Assert.Equal([1, 2], broken.Load().Select(m => m.Version));

        await Assert.ThrowsAsync<PostgresException>(() => Runner(_source).ApplyAsync([broken]));

        // 0001 committed; 0002 failed halfway and left neither its table nor a record.
        Assert.Equal(["1"], await ListAsync("SELECT version::text FROM mpm_migrations.applied WHERE component = 'plugin:test-only'"));
        Assert.Equal(["first"], await ListAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'plg_test_only'"));
    }

    [Fact]
    public async Task TwoRunnersAtOnceApplyEachScriptOnce()
    {
        await ResetAsync();
        var sets = new[] { Database.CoreMigrations, FixtureGoodMigrations() };
        var total = sets.Sum(s => s.Load().Count);
        await using var first = NpgsqlDataSource.Create(Db.ConnectionString);
        await using var second = NpgsqlDataSource.Create(Db.ConnectionString);

        // Hold the runners' advisory lock so that both are started and queued on it before either can apply anything.
        await using var holder = await _source.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var runs = new[] { Task.Run(() => Runner(first).ApplyAsync(sets)), Task.Run(() => Runner(second).ApplyAsync(sets)) };
        await Poll.UntilAsync(
            async () => await Db.ScalarAsync<int>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 2 || runs.Any(r => r.IsCompleted),
            TimeSpan.FromSeconds(60), "both runners to wait for the migration lock");
        Assert.DoesNotContain(runs, r => r.IsCompleted);
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var applied = await Task.WhenAll(runs);

        Assert.Equal(total, applied.Sum());
        Assert.Contains(0, applied);
        Assert.Equal(total, await Db.ScalarAsync<int>("SELECT count(*) FROM mpm_migrations.applied"));
    }

    private async Task<List<string>> ListAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
