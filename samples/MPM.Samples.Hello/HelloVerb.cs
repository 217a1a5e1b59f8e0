using MPM.Sdk;

namespace MPM.Samples.Hello;

/// <summary><c>dotnet run --project core/MPM.Web -- hello --name Asha</c> prints "Hello, Asha!".</summary>
public sealed class HelloVerb : ICliVerb
{
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? name = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--name" && i + 1 < args.Count)
            {
                name = args[++i];
            }
            else
            {
                error.WriteLine($"hello: unknown argument '{args[i]}'. Usage: hello [--name NAME]");
                return Task.FromResult(2);
            }
        }

        output.WriteLine(Greeter.Format("Hello", name));
        return Task.FromResult(0);
    }
}
