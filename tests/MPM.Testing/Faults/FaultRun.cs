using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data.Postgres;
using MPM.Web;
using MPM.Web.Demo;
using MPM.Web.Features.Operator;
using MPM.Web.Security;
using MPM.Web.Settings;
using Npgsql;

namespace MPM.Testing.Faults;

/// <param name="Seconds">How long traffic runs.</param>
/// <param name="Rate">Requests per second, all kinds together.</param>
/// <param name="HostKills">How many times the host is killed (SIGKILL of its process tree) and started again.</param>
/// <param name="PostgresRestarts">How many times PostgreSQL is stopped at once (immediate mode) and started again.</param>
public sealed record FaultOptions(int Seconds = 60, int Rate = 40, int HostKills = 2, int PostgresRestarts = 1, int Customers = 200);

/// <summary>What the run printed, and the violations it found (none when the pipeline held).</summary>
public sealed record FaultReport(IReadOnlyList<string> Violations, int HostKills, int PostgresRestarts, int Accepted, IReadOnlyDictionary<RequestKind, int> Answered);

/// <summary>
/// The load-and-fault run: a PostgreSQL cluster of its own, the real host as a child process on it (Vodacom and Airtel
/// configured with credentials, results, rollbacks and SMS going to fake far ends on loopback), mixed traffic at a
/// steady rate — Vodacom and Airtel callbacks with duplicates, REST payments, dashboard reads — while the host is
/// killed hard and PostgreSQL restarted; then every payment is checked for exactly-once processing (<see cref="FaultChecks"/>).
/// </summary>
public static class FaultRun
{
    private const string SpId = "332277";
    private const string SpPassword = "fault-run-broker-secret";
    private const string AirtelUser = "fault-run";
    private const string AirtelPassword = "fault-run-airtel-secret";

    public static async Task<FaultReport> RunAsync(FaultOptions options, TextWriter output)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mpm-faults", $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(folder);
        var cluster = EmbeddedPostgres.For(folder);
        var log = Path.Combine(folder, "host.log");
        var keepLog = true;
        try
        {
            await cluster.StartAsync();
            await Data.Database.CreateDatabaseIfMissingAsync(cluster.AdminConnectionString(), "mpm_faults", CancellationToken.None);
            var connectionString = cluster.AdminConnectionString("mpm_faults");
            await using var far = await FakeProviders.StartAsync();
            var (apiKey, meters) = await PrepareAsync(connectionString, far, options.Customers);
            await using var host = new HostChild(connectionString, log);
            var started = Stopwatch.StartNew();
            await host.StartAsync(TimeSpan.FromMinutes(3));
            output.WriteLine(Invariant($"fault run: {options.Seconds} s at {options.Rate} requests/s against the host at {host.BaseUrl} (pid {host.ProcessId}, started in {started.Elapsed.TotalSeconds:0.0} s) on PostgreSQL in {cluster.ClusterDirectory}; {meters.Count} meters; host log {log}"));

            var traffic = new Traffic(host.BaseUrl, apiKey, SpId, SpPassword, AirtelUser, AirtelPassword, meters, seed: 42);
            var faults = new List<string>();
            var clock = Stopwatch.StartNew();
            var faultTask = InjectFaultsAsync(options, host, cluster, clock, faults);
            var (requests, seconds) = await DriveAsync(traffic, options, clock, faultTask);
            var faultsDone = await faultTask;
            await Task.WhenAll(requests);
            output.WriteLine(Invariant($"traffic: {requests.Count} requests sent at {options.Rate}/s over {seconds:0.0} s (until the last fault was recovered from); the last payment answered {clock.Elapsed.TotalSeconds:0.0} s after the start"));

            PrintLoad(output, traffic, seconds);
            output.WriteLine($"faults survived ({faultsDone.Kills} host kills, {faultsDone.Restarts} PostgreSQL restarts):");
            faults.ForEach(f => output.WriteLine($"  {f}"));

            var violations = await FaultChecks.RunAsync(connectionString, traffic, far, output);
            output.WriteLine(violations.Count == 0 ? "violations: none" : $"violations: {violations.Count}");
            violations.Take(50).ToList().ForEach(v => output.WriteLine($"  {v}"));
            keepLog = violations.Count > 0;
            return new FaultReport(violations, faultsDone.Kills, faultsDone.Restarts, traffic.Payments.Count(p => p.Accepted), traffic.Answered.ToDictionary());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.DisposeAsync();
            // The cluster goes; the host log (its path was printed) stays when something failed.
            TryDelete(cluster.ClusterDirectory);
            TryDelete(cluster.SocketDirectory);
            if (!keepLog)
            {
                TryDelete(folder);
            }
        }
    }

    /// <summary>Migrates, seeds demo customers and meters, and configures the provider plugins, the SMS gateway and an API key, through the host's own services.</summary>
    private static async Task<(string ApiKey, IReadOnlyList<string> Meters)> PrepareAsync(string connectionString, FakeProviders far, int customers)
    {
        var hostFolder = HostChild.HostFolder;
        await using var app = MpmApp.Build(
            [$"--ConnectionStrings:Mpm={connectionString}", $"--Plugins:Root={Path.Combine(hostFolder, "plugins")}", $"--Plugins:File={Path.Combine(hostFolder, "plugins.json")}",
            "--Logging:LogLevel:Microsoft.AspNetCore.DataProtection=Error"], cli: true);
        await app.Services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions(customers, PaymentHistory: false));
        var store = services.GetRequiredService<PluginSettingsStore>();
        Dictionary<string, Dictionary<string, string?>> settings = new()
        {
            ["vodacom-tz"] = new() { ["allowedIps"] = "127.0.0.1, ::1", ["spId"] = SpId, ["spPassword"] = SpPassword, ["currency"] = "TZS", ["resultUrl"] = $"{far.BaseUrl}/broker" },
            ["airtel-tz"] = new() { ["allowedIps"] = "127.0.0.1, ::1", ["apiUser"] = AirtelUser, ["apiPassword"] = AirtelPassword, ["currency"] = "TZS", ["rollbackUrl"] = $"{far.BaseUrl}/airtel" },
            ["sms-http"] = new() { ["sendUrl"] = $"{far.BaseUrl}/sms", ["webhookSecret"] = "fault-run-webhook-secret" },
        };
        foreach (var (plugin, values) in settings)
        {
            var errors = await store.SaveAsync(plugin, PluginSettingsStore.PluginScope, values, "fault-run");
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"the settings of {plugin} were refused: {string.Join("; ", errors.Values)}");
            }
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var choose = new NpgsqlCommand("INSERT INTO mpm.operator_settings (key, value) VALUES ('sms.gateway', 'sms-http') ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection);
            await choose.ExecuteNonQueryAsync();
        }

        services.GetRequiredService<OperatorProfile>().Invalidate();
        var key = await services.GetRequiredService<ApiKeyService>().CreateAsync("fault run", "fault-run");
        var meters = new List<string>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT serial_number FROM mpm.meters WHERE in_use ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                meters.Add(reader.GetString(0));
            }
        }

        return (key, meters);
    }

    /// <summary>
    /// Sends requests at the steady rate for the run's length, and on until the last fault has been recovered from and a
    /// few seconds more (a slow restart on a busy machine must not push a fault past the traffic); mixes 30% Vodacom,
    /// 30% Airtel, 20% REST payments, 20% dashboard reads, 15% of payments duplicates.
    /// </summary>
    private static async Task<(List<Task> Requests, double Seconds)> DriveAsync(Traffic traffic, FaultOptions options, Stopwatch clock, Task<(int Kills, int Restarts, TimeSpan EndedAt)> faults)
    {
        var requests = new List<Task>();
        var random = new Random(7);
        var tail = TimeSpan.FromSeconds(3);
        for (var i = 0; ; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / options.Rate);
            if (due >= TimeSpan.FromSeconds(options.Seconds) && faults.IsCompleted && due >= faults.Result.EndedAt + tail)
            {
                break;
            }

            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var roll = random.Next(100);
            var kind = roll < 30 ? RequestKind.Vodacom : roll < 60 ? RequestKind.Airtel : roll < 80 ? RequestKind.Rest : RequestKind.Dashboard;
            requests.Add(Task.Run(() => traffic.SendAsync(kind, duplicate: random.Next(100) < 15)));
        }

        return (requests, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Spreads the faults evenly over the run (each after the one before has recovered): host kills and PostgreSQL restarts alternate, starting with a kill.</summary>
    private static async Task<(int Kills, int Restarts, TimeSpan EndedAt)> InjectFaultsAsync(FaultOptions options, HostChild host, EmbeddedPostgres cluster, Stopwatch clock, List<string> faults)
    {
        var plan = new List<bool>(); // true: kill the host; false: restart PostgreSQL
        for (int k = 0, r = 0; k < options.HostKills || r < options.PostgresRestarts;)
        {
            if (k < options.HostKills && (k <= r || r >= options.PostgresRestarts))
            {
                plan.Add(true);
                k++;
            }
            else
            {
                plan.Add(false);
                r++;
            }
        }

        var (kills, restarts) = (0, 0);
        for (var i = 0; i < plan.Count; i++)
        {
            var at = TimeSpan.FromSeconds(options.Seconds * (i + 1.0) / (plan.Count + 1));
            if (at > clock.Elapsed)
            {
                await Task.Delay(at - clock.Elapsed);
            }

            var began = clock.Elapsed;
            if (plan[i])
            {
                var pid = host.ProcessId;
                await host.KillAsync();
                var killed = clock.Elapsed;
                await Task.Delay(TimeSpan.FromSeconds(1));
                await host.StartAsync(TimeSpan.FromMinutes(3));
                kills++;
                faults.Add(Invariant($"host killed (SIGKILL, process tree) at {killed.TotalSeconds:0.0} s (pid {pid}); restarted and ready again {(clock.Elapsed - killed).TotalSeconds:0.0} s later (pid {host.ProcessId})"));
            }
            else
            {
                await cluster.KillAsync();
                var stopped = clock.Elapsed;
                await Task.Delay(TimeSpan.FromSeconds(2));
                await cluster.StartAsync();
                restarts++;
                faults.Add(Invariant($"PostgreSQL stopped at once (immediate, as a crash) at {began.TotalSeconds:0.0} s; started again {(clock.Elapsed - stopped).TotalSeconds:0.0} s later; the host kept running"));
            }
        }

        return (kills, restarts, clock.Elapsed);
    }

    private static void PrintLoad(TextWriter output, Traffic traffic, double seconds)
    {
        output.WriteLine("load held (answered requests per second of traffic; unknown = connection error, timeout or 5xx during a fault, resent):");
        foreach (var kind in Enum.GetValues<RequestKind>())
        {
            var answered = traffic.Answered.GetValueOrDefault(kind);
            output.WriteLine(Invariant($"  {kind,-9} {answered / seconds,6:0.0}/s  ({answered} answered, {traffic.Unknown.GetValueOrDefault(kind)} unknown)"));
        }

        var all = traffic.Answered.Values.Sum();
        output.WriteLine(Invariant($"  total     {all / seconds,6:0.0}/s  ({all} answered, {traffic.Unknown.Values.Sum()} unknown; {traffic.Duplicates} duplicate payment sends)"));
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

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
