using System.Diagnostics;
using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web;
using MPM.Web.Security;
using MPM.Web.Demo;

namespace MPM.Benchmarks;

/// <summary>
/// Dashboard latency as the data grows: per size, a throw-away database with the demo operator's customers and
/// 20 payments per customer over 24 months (95 % confirmed), written with INSERT ... SELECT generate_series and the
/// aggregates rebuilt once; then every dashboard page and JSON route through the whole host, warm, p50/p95 of N.
/// </summary>
public static class DashboardsBenchmark
{
    private const int Runs = 40;
    private const int Months = 24;
    private const int PaymentsPerCustomer = 20;

    public static async Task RunAsync(TextWriter output, IReadOnlyList<int> customerCounts)
    {
        foreach (var customers in customerCounts)
        {
            await RunOneAsync(output, customers);
        }
    }

    private static async Task RunOneAsync(TextWriter output, int customers)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var app = MpmApp.Build([$"--ConnectionStrings:Mpm={database.ConnectionString}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Pipeline:Enabled=false", "--applicationName=MPM.Web"], cli: false);
            await app.StartAsync();
            var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var stopwatch = Stopwatch.StartNew();
            long clusterId, miniGridId;
            string apiKey;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions(customers, Months, PaymentHistory: false));
                var seeded = stopwatch.Elapsed;
                var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
                db.CommandTimeout = 3600;
                var payments = customers * PaymentsPerCustomer;
                await GenerateAsync(db, payments);
                clusterId = await db.Clusters.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
                miniGridId = await db.MiniGrids.Where(g => g.ClusterId == clusterId).OrderBy(g => g.Id).Select(g => g.Id).FirstAsync();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{customers:N0} customers, {payments:N0} transactions: demo seed {seeded.TotalSeconds:0.0} s, transactions + aggregates {(stopwatch.Elapsed - seeded).TotalSeconds:0.0} s"));
                await scope.ServiceProvider.GetRequiredService<UserService>().AddAsync("bench@example.com", "correct-horse-battery", Roles.Manager, "bench");
                apiKey = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("bench", "bench");
            }

            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseUrl };
            var login = await MpmWebFactory.PostFormAsync(browser, "/Account/Login", new() { ["Input.Email"] = "bench@example.com", ["Input.Password"] = "correct-horse-battery" });
            if (login.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"login failed: {(int)login.StatusCode} {login.Headers.Location}");
            }

            using var api = new HttpClient { BaseAddress = baseUrl };
            api.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            const string Year = "from=2025-01-01&to=2025-12-31";
            (string Name, HttpClient Client, string Url)[] routes =
            [
                ("page  /  (clusters, default period)", browser, "/"),
                ("page  /  (clusters, a year)", browser, $"/?{Year}"),
                ("page  /Dashboards/Cluster/{id}", browser, $"/Dashboards/Cluster/{clusterId}?{Year}"),
                ("page  /Dashboards/MiniGrid/{id}", browser, $"/Dashboards/MiniGrid/{miniGridId}?{Year}"),
                ("GET /api/v1/dashboards/clusters", api, $"/api/v1/dashboards/clusters?{Year}"),
                ("GET /api/v1/dashboards/clusters/{id}", api, $"/api/v1/dashboards/clusters/{clusterId}?{Year}"),
                ("GET /api/v1/dashboards/mini-grids/{id}", api, $"/api/v1/dashboards/mini-grids/{miniGridId}?{Year}"),
                ("GET /api/v1/dashboards/clusters (24 months)", api, "/api/v1/dashboards/clusters?from=2024-01-01&to=2026-12-31"),
            ];
            foreach (var (name, client, url) in routes)
            {
                var times = new List<double>();
                for (var run = -3; run < Runs; run++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var response = await client.GetAsync(url);
                    var body = await response.Content.ReadAsStringAsync();
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
                    }

                    if (run >= 0)
                    {
                        times.Add(elapsed);
                    }
                }

                times.Sort();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-46} p50 {times[Runs / 2],7:0.0} ms   p95 {times[(int)(Runs * 0.95) - 1],7:0.0} ms"));
            }
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>
    /// <paramref name="count"/> payments of the demo meters over the last 24 months, written in one statement with the
    /// per-row dashboard triggers off, then the aggregates rebuilt once (what the triggers would have written).
    /// </summary>
    private static async Task GenerateAsync(MpmDb db, int count)
    {
        await db.ExecuteAsync(
            """
            CREATE TEMP TABLE bench_meters AS
                SELECT row_number() OVER (ORDER BY m.id) AS n, m.id, m.serial_number, m.customer_id, m.village_id, v.mini_grid_id, g.cluster_id, m.connection_type_id
                FROM mpm.meters m JOIN mpm.villages v ON v.id = m.village_id JOIN mpm.mini_grids g ON g.id = v.mini_grid_id;
            ALTER TABLE mpm.transactions DISABLE TRIGGER transactions_dashboard_inserted;
            INSERT INTO mpm.transactions (provider, provider_reference, meter_id, meter_serial, customer_id, village_id, mini_grid_id, cluster_id, connection_type_id,
                                          amount, currency, raw_data, status, energy_kwh, next_attempt_at, received_at, completed_at)
            SELECT 'bench', 'B-' || i, m.id, m.serial_number, m.customer_id, m.village_id, m.mini_grid_id, m.cluster_id, m.connection_type_id,
                   amount, 'TZS', '{}', CASE WHEN i % 20 = 0 THEN 'cancelled' ELSE 'confirmed' END, CASE WHEN i % 20 = 0 THEN NULL ELSE floor(amount / 50) / 10 END,
                   at, at, at + interval '2 seconds'
            FROM (SELECT i, 1000 + (i::bigint * 7919 % 40) * 500 AS amount, now() - make_interval(secs => (i::bigint * 104729) % (730 * 86400)) AS at,
                         1 + (i::bigint * 2654435761) % (SELECT count(*) FROM bench_meters) AS n
                  FROM generate_series(1, @count) i) p
            JOIN bench_meters m ON m.n = p.n;
            ALTER TABLE mpm.transactions ENABLE TRIGGER transactions_dashboard_inserted;
            SELECT mpm.dashboard_rebuild();
            ANALYZE mpm.transactions;
            ANALYZE mpm.dashboard_daily;
            """,
            new DataParameter("count", count));
    }
}
