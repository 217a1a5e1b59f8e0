using System.Diagnostics;
using System.Globalization;
using MPM.Data;
using MPM.Data.Postgres;
using MPM.Sdk;
using Npgsql;

namespace MPM.Web.Cli;

/// <summary>
/// <c>backup --out FILE</c>: the whole database (core and plugin schemas, data and migration history) with pg_dump in its
/// custom format, written to FILE.partial and renamed to FILE only when complete. Works on the embedded cluster and on
/// an external server (ConnectionStrings__Mpm), with the newest PostgreSQL client installed.
/// </summary>
public sealed class BackupVerb(Database database) : ICliVerb
{
    public const string Usage = "backup --out FILE: the whole database to FILE (pg_dump custom format)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var file = Path.GetFullPath(CliArgs.Parse(args, "--out").Required("--out"));
        if (Path.GetDirectoryName(file) is { } folder && !Directory.Exists(folder))
        {
            throw new CliUsageException($"the folder {folder} does not exist");
        }

        var partial = file + ".partial";
        var dump = await PgTools.RunAsync("pg_dump", ["--format=custom", "--compress=6", "--file", partial], database, cancellationToken);
        if (dump.ExitCode != 0)
        {
            File.Delete(partial);
            error.WriteLine($"backup failed: pg_dump exit {dump.ExitCode}: {dump.Error.Trim()}");
            return 1;
        }

        File.Move(partial, file, overwrite: true);
        var counts = await PgTools.CountsAsync(database, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Backed up database {PgTools.Describe(database)} ({counts}) to {file} ({new FileInfo(file).Length / 1024.0:0.#} KiB)."));
        return 0;
    }
}

/// <summary>
/// <c>restore --in FILE</c>: replaces everything in the database — every schema of the core, the migration history and
/// every plugin's schema — with the backup's content, atomically: the old schemas are dropped and the backup restored in
/// one transaction (psql --single-transaction), so a failure leaves the database as it was. It refuses a missing or
/// unreadable file and a database other sessions (a running host) are connected to, and says what it replaces.
/// </summary>
public sealed class RestoreVerb(Database database) : ICliVerb
{
    public const string Usage = "restore --in FILE: replaces the whole database with a backup (stop the hosts first)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var file = Path.GetFullPath(CliArgs.Parse(args, "--in").Required("--in"));
        if (!File.Exists(file))
        {
            error.WriteLine($"restore: no backup file {file}; nothing was changed.");
            return 1;
        }

        var list = await PgTools.RunAsync("pg_restore", ["--list", file], database, cancellationToken);
        if (list.ExitCode != 0)
        {
            error.WriteLine($"restore: {file} is not a readable backup (pg_restore: {list.Error.Trim()}); nothing was changed.");
            return 1;
        }

        // The listing starts with "; Archive created at 2026-11-28 07:20:00 UTC" and ";     dbname: mpm".
        var header = list.Output.Split('\n').Select(l => l.TrimStart(';', ' ').Trim()).ToList();
        string Header(string prefix) => header.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim() ?? "?";

        database.DataSource.Clear();
        var others = await OtherSessionsAsync(cancellationToken);
        if (others > 0)
        {
            error.WriteLine($"restore: {others} other session(s) are connected to database {PgTools.Describe(database)} (a running host?). Stop every host using it, then restore; nothing was changed.");
            return 1;
        }

        var schemas = await UserSchemasAsync(cancellationToken);
        output.WriteLine($"Replacing database {PgTools.Describe(database)} ({await PgTools.CountsAsync(database, cancellationToken)}; schemas {string.Join(", ", schemas)})");
        output.WriteLine($"with the backup {file} (database {Header("dbname:")}, made {Header("Archive created at")}).");

        // The drops and the backup's script run in one transaction: all or nothing.
        var drops = string.Concat(schemas.Select(s => $"DROP SCHEMA IF EXISTS \"{s.Replace("\"", "\"\"")}\" CASCADE;\n"));
        var restore = await PgTools.RestoreAsync(file, drops, database, cancellationToken);
        database.DataSource.Clear();
        if (restore.ExitCode != 0)
        {
            error.WriteLine($"restore failed and was rolled back; the database is as it was: {restore.Error.Trim()}");
            return 1;
        }

        output.WriteLine($"Restored: {await PgTools.CountsAsync(database, cancellationToken)}. Hosts apply newer migrations when they start.");
        return 0;
    }

    private async Task<long> OtherSessionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<string>> UserSchemasAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public') ORDER BY nspname", connection);
        var schemas = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            schemas.Add(reader.GetString(0));
        }

        return schemas;
    }
}

/// <summary>Runs PostgreSQL's client programs against the host's database (connection given by PG* variables, never on the command line).</summary>
internal static class PgTools
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static string Describe(Database database)
    {
        var settings = database.ConnectionSettings();
        return $"{settings.Database} on {(database.IsEmbedded ? "the embedded cluster" : settings.Host)}";
    }

    public static async Task<string> CountsAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionSettings().ConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM mpm.customers), (SELECT count(*) FROM mpm.meters), (SELECT count(*) FROM mpm.transactions)", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return $"{reader.GetInt64(0)} customers, {reader.GetInt64(1)} meters, {reader.GetInt64(2)} transactions";
        }
        catch (PostgresException)
        {
            return "no MPM tables";
        }
    }

    public static Task<Result> RunAsync(string tool, IReadOnlyList<string> arguments, Database database, CancellationToken cancellationToken) =>
        RunAsync(Start(tool, arguments, database), cancellationToken);

    /// <summary><c>pg_restore -f - FILE | psql --single-transaction</c>, with <paramref name="prelude"/> run first in the same transaction.</summary>
    public static async Task<Result> RestoreAsync(string file, string prelude, Database database, CancellationToken cancellationToken)
    {
        using var script = Process.Start(Start("pg_restore", ["--no-owner", "--no-privileges", "--file", "-", file], database))
            ?? throw new InvalidOperationException("could not start pg_restore");
        var scriptErrors = script.StandardError.ReadToEndAsync(cancellationToken);
        using var psql = Process.Start(Start("psql", ["--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", "--output", "/dev/null"], database))
            ?? throw new InvalidOperationException("could not start psql");
        var psqlOutput = psql.StandardOutput.ReadToEndAsync(cancellationToken);
        var psqlErrors = psql.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await psql.StandardInput.WriteAsync(prelude.AsMemory(), cancellationToken);
            await script.StandardOutput.BaseStream.CopyToAsync(psql.StandardInput.BaseStream, cancellationToken);
        }
        catch (IOException)
        {
            // psql stopped reading (it failed): its exit code and message say why.
        }
        finally
        {
            try
            {
                psql.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }

        await script.WaitForExitAsync(cancellationToken);
        await psql.WaitForExitAsync(cancellationToken);
        await psqlOutput;
        var errors = (await scriptErrors).Trim() + "\n" + (await psqlErrors).Trim();
        return new Result(script.ExitCode != 0 ? script.ExitCode : psql.ExitCode, "", errors.Trim());
    }

    private static ProcessStartInfo Start(string tool, IReadOnlyList<string> arguments, Database database)
    {
        var start = new ProcessStartInfo(EmbeddedPostgres.ToolPath(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var settings = database.ConnectionSettings();
        start.Environment["PGHOST"] = settings.Host;
        start.Environment["PGPORT"] = settings.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = settings.Database;
        start.Environment["PGUSER"] = settings.Username ?? Environment.UserName;
        start.Environment["PGPASSWORD"] = settings.Password ?? "";
        start.Environment["PGSSLMODE"] = settings.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        return start;
    }

    private static async Task<Result> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, await output, await error);
    }
}
