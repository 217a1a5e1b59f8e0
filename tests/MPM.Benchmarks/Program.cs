using MPM.Benchmarks;

// dotnet run -c Release --project tests/MPM.Benchmarks -- sts [seconds]
var which = args.FirstOrDefault() ?? "sts";
var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
switch (which)
{
    case "sts":
        StsBenchmark.Run(Console.Out, seconds);
        return 0;
    default:
        Console.Error.WriteLine("usage: MPM.Benchmarks sts [seconds]");
        return 2;
}
