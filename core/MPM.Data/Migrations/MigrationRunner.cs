using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MPM.Data.Migrations;

/// <summary>A component's ordered SQL scripts: embedded resources named <c>*.NNNN_name.sql</c>.</summary>
public sealed record MigrationSet(string Component, string Schema, Assembly Assembly, string ResourceFolder)
{
    public IReadOnlyList<Migration> Load()
    {
        var pattern = new Regex(@"\." + Regex.Escape(ResourceFolder) + @"\.(\d{4})_([A-Za-z0-9_]+)\.sql$");
        return Assembly.GetManifestResourceNames()
            .Select(name => (name, match: pattern.Match(name)))
            .Where(x => x.match.Success)
            .Select(x =>
            {
                using var stream = Assembly.GetManifestResourceStream(x.name)!;
                using var reader = new StreamReader(stream);
                return new Migration(int.Parse(x.match.Groups[1].Value), x.match.Groups[2].Value, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }
}

public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies pending migrations of each component in its own schema, each script in its own transaction, recorded in
/// <c>mpm_migrations.applied</c>. A PostgreSQL advisory lock serialises hosts and CLI runs that start at once.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    private const long AdvisoryLockKey = 0x4D504D5F4D494752; // "MPM_MIGR"

    public async Task<int> ApplyAsync(IEnumerable<MigrationSet> sets, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE SCHEMA IF NOT EXISTS mpm_migrations;
                CREATE TABLE IF NOT EXISTS mpm_migrations.applied (
                    component text NOT NULL,
                    version int NOT NULL,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (component, version));
                """, cancellationToken);
            var applied = 0;
            foreach (var set in sets)
            {
                var done = await AppliedVersionsAsync(connection, set.Component, cancellationToken);
                foreach (var migration in set.Load().Where(m => !done.Contains(m.Version)))
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS \"{set.Schema}\"; SET LOCAL search_path TO \"{set.Schema}\", public;", cancellationToken);
                    await ExecuteAsync(connection, migration.Sql, cancellationToken);
                    await using (var record = new NpgsqlCommand("INSERT INTO mpm_migrations.applied (component, version, name) VALUES ($1, $2, $3)", connection))
                    {
                        record.Parameters.Add(new() { Value = set.Component });
                        record.Parameters.Add(new() { Value = migration.Version });
                        record.Parameters.Add(new() { Value = migration.Name });
                        await record.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                    logger.LogInformation("Applied migration {Component} {Version:D4}_{Name}", set.Component, migration.Version, migration.Name);
                    applied++;
                }
            }

            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The migrations of <paramref name="sets"/> not yet applied (for the readiness check).</summary>
    public async Task<int> PendingCountAsync(IEnumerable<MigrationSet> sets, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('mpm_migrations.applied') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return sets.Sum(s => s.Load().Count);
            }
        }

        var pending = 0;
        foreach (var set in sets)
        {
            var done = await AppliedVersionsAsync(connection, set.Component, cancellationToken);
            pending += set.Load().Count(m => !done.Contains(m.Version));
        }

        return pending;
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, string component, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM mpm_migrations.applied WHERE component = $1", connection);
        command.Parameters.Add(new() { Value = component });
        var versions = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
