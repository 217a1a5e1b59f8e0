using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;

namespace MPM.Samples.Hello;

/// <summary>The plugin's entry point: the host finds it, creates it and calls Configure once at start-up.</summary>
public sealed class HelloPlugin : IPlugin
{
    public const string Id = "hello";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<Greeter>();

        plugin.AddSetting(new PluginSetting("greeting", "Greeting", Help: "How the sample greets.", DefaultValue: "Hello"));

        // GET /plugins/hello/greeting?name=Asha → {"message":"Hello, Asha!"}; operators only (the host's default).
        plugin.MapEndpoints(endpoints => endpoints.MapGet("greeting", async (string? name, Greeter greeter, CancellationToken ct) =>
            Results.Ok(new { message = await greeter.GreetAsync(name, ct) })));

        plugin.AddCliVerb<HelloVerb>("hello", "Prints a greeting: hello [--name NAME]", needsDatabase: false);

        plugin.AddSidebarItem(new SidebarItem("Hello sample", "/plugins/hello", "bi-emoji-smile"));
    }
}
