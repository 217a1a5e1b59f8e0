using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Vodacom;

/// <summary>Vodacom Tanzania M-Pesa: the broker posts C2B payments to <c>POST /plugins/vodacom-tz/transactions</c>.</summary>
public sealed class VodacomPlugin : IPlugin
{
    public const string Id = "vodacom-tz";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<Acknowledgements>();
        plugin.Services.AddScoped<VodacomEndpoint>();
        plugin.Services.AddKeyedScoped<IPaymentProvider, VodacomProvider>(plugin.Manifest.Id);
        foreach (var setting in VodacomSettings.Declared)
        {
            plugin.AddSetting(setting);
        }

        plugin.MapEndpoints(e => e.MapPost("transactions", (HttpContext http, VodacomEndpoint endpoint) => endpoint.HandleAsync(http, http.RequestAborted))
            .AllowAnonymous());
    }
}
