using MPM.Sdk;
using MPM.Web.Cli;

namespace MPM.Web.Demo;

/// <summary><c>demo seed [--customers N] [--months M] [--seed S]</c>: fills an empty database with a demo operator.</summary>
public sealed class DemoVerb(DemoSeeder seeder) : ICliVerb
{
    public const string Usage = "demo seed [--customers N] [--months M] [--seed S]: fills an empty database with a demo operator";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.FirstOrDefault() != "seed")
        {
            throw new CliUsageException("usage: " + Usage);
        }

        var parsed = CliArgs.Parse(args.Skip(1).ToList(), "--customers", "--months", "--seed");
        var options = new DemoOptions(
            parsed.Integer("--customers", DemoOptions.DefaultCustomers, 1, 1_000_000),
            parsed.Integer("--months", DemoOptions.DefaultMonths, 1, 120),
            parsed.Integer("--seed", DemoOptions.DefaultSeed, int.MinValue, int.MaxValue));
        try
        {
            output.WriteLine((await seeder.SeedAsync(options, cancellationToken)).Describe());
            return 0;
        }
        catch (DemoRefusedException e)
        {
            throw new CliUsageException(e.Message);
        }
    }
}
