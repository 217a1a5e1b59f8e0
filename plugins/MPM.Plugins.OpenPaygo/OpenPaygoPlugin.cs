using Microsoft.Extensions.DependencyInjection;
using MPM.Plugins.OpenPaygo.Cli;
using MPM.Plugins.OpenPaygo.Devices;
using MPM.Sdk;

namespace MPM.Plugins.OpenPaygo;

public sealed class OpenPaygoPlugin : IPlugin
{
    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<OpenPaygoDevices>();
        plugin.AddSidebarItem(new SidebarItem("PAYG devices", "/plugins/openpaygo", "bi-phone"));
        plugin.AddCliVerb<OpenPaygoVerb>("openpaygo", "openpaygo token --key HEX --starting-code N --count N --type add-time|set-time|disable-payg|counter-sync [--value N] [--extended] [--restricted-digits]", needsDatabase: false);
    }
}

public sealed class OpenPaygoVerb : ICliVerb
{
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        Task.FromResult(OpenPaygoCli.Run(args, output, error));
}
