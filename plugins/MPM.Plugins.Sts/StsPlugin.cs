using Microsoft.Extensions.DependencyInjection;
using MPM.Plugins.Sts.Cli;
using MPM.Plugins.Sts.Vending;
using MPM.Sdk;
using MPM.Sdk.Tokens;

namespace MPM.Plugins.Sts;

public sealed class StsPlugin : IPlugin
{
    public const string Id = "sts";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<StsVending>();
        plugin.Services.AddKeyedScoped<ITokenGenerator, StsTokenGenerator>(plugin.Manifest.Id);
        foreach (var setting in StsSettings.Declared)
        {
            plugin.AddSetting(setting);
        }

        plugin.AddCliVerb<StsVerb>("sts", "sts key|credit|manage|key-change|test|decode ... (sts help)", needsDatabase: false);
    }
}

/// <summary>Credit tokens for payments, made locally from the manufacturer's vending key.</summary>
public sealed class StsTokenGenerator(StsVending vending) : ITokenGenerator
{
    public async Task<GeneratedToken> GenerateCreditAsync(CreditTokenRequest request, CancellationToken cancellationToken)
    {
        StsSettings settings;
        try
        {
            settings = StsSettings.Parse(request.ManufacturerSettings);
            settings.KeyFor(request.MeterSerial);
        }
        catch (ArgumentException e)
        {
            // Wrong settings or a meter number with a wrong check digit will not fix themselves: not transient.
            throw new TokenGenerationException(e.Message, transient: false, e);
        }

        var token = await vending.CreditAsync(request.TransactionId, request.MeterSerial, request.EnergyKWh, settings, cancellationToken);
        return new GeneratedToken(token.Token, "energy", token.Value, "kWh");
    }

    public string? MeterPagePath(string meterSerial) => $"/plugins/{StsPlugin.Id}/meters/{Uri.EscapeDataString(meterSerial)}";
}

public sealed class StsVerb : ICliVerb
{
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        Task.FromResult(StsCli.Run(args, output, error));
}
