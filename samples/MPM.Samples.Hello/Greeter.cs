using MPM.Sdk;

namespace MPM.Samples.Hello;

public sealed class Greeter(IPluginSettings settings)
{
    public async Task<string> GreetAsync(string? name, CancellationToken cancellationToken)
    {
        var values = await settings.GetAsync(HelloPlugin.Id, cancellationToken);
        return Format(values.GetValueOrDefault("greeting") ?? "Hello", name);
    }

    public static string Format(string greeting, string? name) =>
        $"{greeting}, {(string.IsNullOrWhiteSpace(name) ? "operator" : name.Trim())}!";
}
