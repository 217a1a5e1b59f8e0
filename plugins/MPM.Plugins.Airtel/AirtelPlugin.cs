using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Plugins.Shared.MobileMoney;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Plugins.Airtel;

/// <summary>Airtel Money Tanzania: Airtel pushes payments to <c>POST /plugins/airtel-tz/transactions</c>.</summary>
public sealed class AirtelPlugin : IPlugin
{
    public const string Id = "airtel-tz";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<Acknowledgements>();
        plugin.Services.AddScoped<AirtelEndpoint>();
        plugin.Services.AddKeyedScoped<IPaymentProvider, AirtelProvider>(plugin.Manifest.Id);
        foreach (var setting in AirtelSettings.Declared)
        {
            plugin.AddSetting(setting);
        }

        plugin.MapEndpoints(e => e.MapPost("transactions", (HttpContext http, AirtelEndpoint endpoint) => endpoint.HandleAsync(http, http.RequestAborted))
            .AllowAnonymous());
    }
}
