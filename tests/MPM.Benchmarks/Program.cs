using System.Globalization;
using MPM.Benchmarks;

// dotnet run -c Release --project tests/MPM.Benchmarks -- sts [seconds]
// dotnet run -c Release --project tests/MPM.Benchmarks -- customers [size ...]   (default 300 10000 100000)
// dotnet run -c Release --project tests/MPM.Benchmarks -- pipeline [payments] [clients]   (default 3000 16)
// dotnet run -c Release --project tests/MPM.Benchmarks -- dashboards [customers ...]   (default 10000 100000; 20 transactions per customer)
// dotnet run -c Release --project tests/MPM.Benchmarks -- faults [seconds] [rate]   (default 60 40: 2 host kills, 1 PostgreSQL restart; exit 1 on any violation)
var which = args.FirstOrDefault() ?? "sts";
switch (which)
{
    case "sts":
        StsBenchmark.Run(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3);
        return 0;
    case "customers":
        await CustomersBenchmark.RunAsync(Console.Out, args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList() : [300, 10_000, 100_000]);
        return 0;
    case "pipeline":
        await PipelineBenchmark.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16);
        return 0;
    case "dashboards":
        await DashboardsBenchmark.RunAsync(Console.Out, args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList() : [10_000, 100_000]);
        return 0;
    case "faults":
        var report = await MPM.Testing.Faults.FaultRun.RunAsync(
            new MPM.Testing.Faults.FaultOptions(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40),
            Console.Out);
        return report.Violations.Count == 0 ? 0 : 1;
    default:
        Console.Error.WriteLine("usage: MPM.Benchmarks sts [seconds] | customers [size ...] | pipeline [payments] [clients] | dashboards [customers ...] | faults [seconds] [rate]");
        return 2;
}
