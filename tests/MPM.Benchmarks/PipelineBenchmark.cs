using System.Diagnostics;
using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Sdk.Payments;
using MPM.Testing;
using MPM.Web;
using MPM.Web.Demo;
using Npgsql;

namespace MPM.Benchmarks;

/// <summary>
/// End-to-end payments per second: the real host (workers included) on a throw-away database seeded with demo meters;
/// N payments for distinct meters submitted through intake by concurrent clients, timed until every one is confirmed
/// with its STS token. Then pgbench's default (TPC-B-like) TPS against the same PostgreSQL, and the ratio.
/// </summary>
public static class PipelineBenchmark
{
    public static async Task RunAsync(TextWriter output, int payments, int clients)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var app = MpmApp.Build([$"--ConnectionStrings:Mpm={database.ConnectionString}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], cli: false);
            await app.StartAsync();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions(payments));
            }

            List<string> serials;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                serials = await scope.ServiceProvider.GetRequiredService<MpmDb>().Meters.OrderBy(m => m.Id).Select(m => m.SerialNumber).Take(payments).ToListAsync();
            }

            output.WriteLine(Invariant($"seeded {serials.Count} meters; submitting {serials.Count} payments from {clients} clients"));
            var postmaster = await PostmasterPidAsync(database.ConnectionString);
            var hostCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var postgresCpu = PostgresCpu(postmaster);
            var latencies = new double[serials.Count];
            var next = -1;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < serials.Count)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using var scope = app.Services.CreateAsyncScope();
                    var result = await scope.ServiceProvider.GetRequiredService<IPaymentIntake>().SubmitAsync(
                        new IncomingPayment("bench", $"bench-{i}", serials[i], 20_000m, "TZS", "+255700000000", "{}"));
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!result.Accepted)
                    {
                        throw new InvalidOperationException($"payment {i} refused: {result.RefusalMessage}");
                    }
                }
            })));
            var intakeSeconds = stopwatch.Elapsed.TotalSeconds;

            int open;
            do
            {
                await Task.Delay(100);
                await using var scope = app.Services.CreateAsyncScope();
                open = await scope.ServiceProvider.GetRequiredService<MpmDb>().Transactions.CountAsync(t => t.Status == TransactionStatus.Received || t.Status == TransactionStatus.Processing);
            }
            while (open > 0);
            var total = stopwatch.Elapsed.TotalSeconds;
            hostCpu = Process.GetCurrentProcess().TotalProcessorTime - hostCpu;
            postgresCpu = PostgresCpu(postmaster) - postgresCpu;

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
                // The demo's history is confirmed too: count the benchmark's own payments.
                var confirmed = await db.Transactions.CountAsync(t => t.Provider == "bench" && t.Status == TransactionStatus.Confirmed);
                var tokens = await db.Tokens.CountAsync(k => db.Transactions.Any(t => t.Id == k.TransactionId && t.Provider == "bench"));
                output.WriteLine(Invariant($"payments: {serials.Count}, clients: {clients}, confirmed: {confirmed}, tokens: {tokens}"));
            }

            Array.Sort(latencies);
            var paymentsPerSecond = serials.Count / total;
            output.WriteLine(Invariant($"intake: {serials.Count / intakeSeconds:0} payments/s; latency p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms"));
            output.WriteLine(Invariant($"end to end: {paymentsPerSecond:0} payments/s ({total:0.0} s until all confirmed)"));
            output.WriteLine(Invariant($"CPU per payment: host (clients, intake, workers, token generation) {hostCpu.TotalMilliseconds / serials.Count:0.00} ms, PostgreSQL {postgresCpu.TotalMilliseconds / serials.Count:0.00} ms; machine load while running: {(hostCpu + postgresCpu).TotalSeconds / total / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores"));
            await app.StopAsync();

            var tps = await PgbenchAsync(output);
            output.WriteLine(Invariant($"pgbench (default script, 8 clients, 20 s): {tps:0} tps"));
            output.WriteLine(Invariant($"ratio payments/s to pgbench tps: {paymentsPerSecond / tps:0.00}"));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static async Task<int> PostmasterPidAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT setting FROM pg_settings WHERE name = 'data_directory'", connection);
        var directory = (string)(await command.ExecuteScalarAsync())!;
        return int.Parse((await File.ReadAllLinesAsync(Path.Combine(directory, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
    }

    /// <summary>CPU used so far by the PostgreSQL server and its live processes (backends, WAL writer, checkpointer…).</summary>
    private static TimeSpan PostgresCpu(int postmaster)
    {
        var ticks = 0L;
        foreach (var directory in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // Fields after the command name in parentheses: state, ppid, ... utime (14th field), stime (15th).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var pid = int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture);
                if (pid == postmaster || int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static async Task<double> PgbenchAsync(TextWriter output)
    {
        var admin = new NpgsqlConnectionStringBuilder(await TestPostgres.AdminConnectionStringAsync());
        var name = $"pgbench_{Guid.NewGuid():N}"[..20];
        await MPM.Data.Database.CreateDatabaseIfMissingAsync(admin.ConnectionString, name, CancellationToken.None);
        try
        {
            var pgbench = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).First(File.Exists);
            string[] connection = ["-h", admin.Host!, "-p", admin.Port.ToString(CultureInfo.InvariantCulture), "-U", admin.Username ?? "postgres"];
            await RunAsync(pgbench, [.. connection, "-i", "-s", "10", "-q", name]);
            var run = await RunAsync(pgbench, [.. connection, "-c", "8", "-j", "2", "-T", "20", "-n", name]);
            var line = run.Split('\n').First(l => l.StartsWith("tps = ", StringComparison.Ordinal));
            return double.Parse(line[6..].Split(' ')[0], CultureInfo.InvariantCulture);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{file} failed: {await stderr}");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
