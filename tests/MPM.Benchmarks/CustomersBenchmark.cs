using System.Diagnostics;
using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Testing;
using MPM.Web;
using MPM.Web.Demo;
using MPM.Web.Features.Customers;

namespace MPM.Benchmarks;

/// <summary>
/// <c>demo seed</c> wall time per size, each into a throw-away database (the embedded PostgreSQL of the test support,
/// or <c>MPM_TEST_DATABASE</c>), then the customer search (first page, sorted by name) on the largest: warm, p50 of 20.
/// </summary>
public static class CustomersBenchmark
{
    private const int Runs = 20;

    public static async Task RunAsync(TextWriter output, IReadOnlyList<int> sizes)
    {
        for (var i = 0; i < sizes.Count; i++)
        {
            var database = await TestPostgres.CreateDatabaseAsync();
            try
            {
                await using var app = MpmApp.Build([$"--ConnectionStrings:Mpm={database.ConnectionString}"], cli: true);
                await app.Services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
                var stopwatch = Stopwatch.StartNew();
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions(sizes[i]));
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {sizes[i],7:N0} customers: {stopwatch.Elapsed.TotalSeconds,6:0.0} s"));
                if (i == sizes.Count - 1)
                {
                    await SearchAsync(output, app, sizes[i]);
                }
            }
            finally
            {
                await database.DisposeAsync();
            }
        }
    }

    private static async Task SearchAsync(TextWriter output, WebApplication app, int size)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var directory = scope.ServiceProvider.GetRequiredService<CustomerDirectory>();
        var middle = await db.Customers.OrderBy(c => c.Id).Skip(size / 2).FirstAsync();
        var serial = await db.Meters.Where(m => m.CustomerId == middle.Id).Select(m => m.SerialNumber).FirstAsync();
        var village = await db.Villages.OrderBy(v => v.Id).Select(v => v.Name).FirstAsync();
        (string What, string? Term)[] searches =
        [
            ("surname", middle.Surname),
            ("phone fragment", middle.Phone[6..12]),
            ("village", village),
            ("serial", serial),
            ("empty search", null),
        ];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"customer search at {size:N0} customers (first page of 25, sorted by name; warm; p50 of {Runs}):"));
        foreach (var (what, term) in searches)
        {
            var result = await directory.SearchAsync(term, 1, 25, CustomerSort.Name);
            var times = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                await directory.SearchAsync(term, 1, 25, CustomerSort.Name);
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var label = term is null ? what : $"{what} '{term}'";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-32} {times[Runs / 2],7:0.0} ms  ({result.Total:N0} matches)"));
        }
    }
}
