using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace MPM.Data.Postgres;

/// <summary>
/// A private PostgreSQL cluster under a data directory, run with the server binaries installed on the machine.
/// It listens on a unix socket only (no TCP port), so instances with different data directories run side by side.
/// A cluster left running by a process that died is reused; the process that started the cluster stops it.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private const int SocketPort = 5432;
    private readonly string _binDirectory;
    private bool _startedHere;

    private EmbeddedPostgres(string clusterDirectory, string socketDirectory, string binDirectory)
    {
        ClusterDirectory = clusterDirectory;
        SocketDirectory = socketDirectory;
        _binDirectory = binDirectory;
    }

    public string ClusterDirectory { get; }

    public string SocketDirectory { get; }

    public string AdminConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = SocketDirectory, Port = SocketPort, Username = ServiceUser, Database = database }.ConnectionString;

    /// <summary>Where the cluster for <paramref name="dataDirectory"/> lives, and its socket folder.</summary>
    public static EmbeddedPostgres For(string dataDirectory)
    {
        var data = Path.GetFullPath(dataDirectory);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(data)))[..12].ToLowerInvariant();
        var cluster = Path.Combine(data, "postgres");
        // When root runs us, the server runs as the postgres user, who must reach the cluster folder:
        // a data directory under a private home (e.g. /root, mode 700) gets its cluster in /var/tmp instead.
        if (Environment.UserName == "root" && !ReachableByServiceUser(data))
        {
            cluster = Path.Combine("/var/tmp", $"mpm-postgres-{hash}");
        }

        // Unix socket paths are limited to ~107 bytes, so the socket lives in a short folder of its own.
        return new EmbeddedPostgres(cluster, Path.Combine("/tmp", $"mpm-pg-{hash}"), FindBinDirectory());
    }

    /// <summary>Starts the cluster (creating it on first use) or reuses the running one.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        PrepareDirectory(SocketDirectory);
        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            PrepareDirectory(ClusterDirectory);
            await RunAsync("initdb", ["-D", ClusterDirectory, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"], cancellationToken);
        }

        if (await IsReadyAsync(cancellationToken))
        {
            return;
        }

        // A cluster killed hard leaves postmaster.pid behind; pg_ctl start copes with a stale one.
        var options = $"-c listen_addresses='' -c unix_socket_directories='{SocketDirectory}' -c port={SocketPort} -c max_connections=200 -c fsync=on";
        await RunAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", ClusterDirectory, "-l", Path.Combine(ClusterDirectory, "server.log"), "-o", options], cancellationToken);
        _startedHere = true;
    }

    /// <summary>
    /// Stops the server now, as a crash or a power cut would (<c>pg_ctl stop -m immediate</c>: no checkpoint, recovery at
    /// the next start). <see cref="StartAsync"/> starts it again. For fault drills.
    /// </summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync("pg_ctl", ["stop", "-m", "immediate", "-w", "-D", ClusterDirectory], cancellationToken);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops the cluster if this process started it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_startedHere)
        {
            _startedHere = false;
            NpgsqlConnection.ClearAllPools();
            await RunAsync("pg_ctl", ["stop", "-m", "fast", "-w", "-D", ClusterDirectory], CancellationToken.None);
        }
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(SocketDirectory, $".s.PGSQL.{SocketPort}")))
        {
            return false;
        }

        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString() + ";Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>A PostgreSQL client or server program of the installed version the embedded cluster uses (e.g. pg_dump).</summary>
    public static string ToolPath(string tool) => Path.Combine(FindBinDirectory(), tool);

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderByDescending(d => d, StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new EmbeddedPostgresException(
                "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin): install them with 'apt-get install postgresql', or set ConnectionStrings__Mpm to an external server.");
    }

    private static bool ReachableByServiceUser(string directory)
    {
        Directory.CreateDirectory(directory);
        return Run("runuser", ["-u", ServiceUser, "--", "test", "-x", directory]).ExitCode == 0;
    }

    private static void PrepareDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (Environment.UserName == "root")
        {
            Run("chown", [$"{ServiceUser}:", directory]);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory, tool);
        var result = Environment.UserName == "root"
            ? await Task.Run(() => Run("runuser", ["-u", ServiceUser, "--", path, .. arguments]), cancellationToken)
            : await Task.Run(() => Run(path, arguments), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"{tool} failed (exit {result.ExitCode}): {result.Output.Trim()}");
        }
    }

    private static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        // pg_ctl start leaves the server holding stdout open; read it only for short-lived tools.
        var stdout = file.EndsWith("pg_ctl", StringComparison.Ordinal) || arguments.Any(a => a.EndsWith("pg_ctl", StringComparison.Ordinal))
            ? Task.FromResult("")
            : process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

public sealed class EmbeddedPostgresException(string message) : Exception(message);
