using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Plugins.AfricasTalking;

/// <summary>
/// Sends SMS through Africa's Talking and takes its delivery reports and incoming messages at
/// /plugins/africastalking/delivery-reports and /plugins/africastalking/incoming (form posts, as Africa's Talking makes
/// them), each protected by the callback secret in the URL (?key=…) or the X-MPM-Key header.
/// </summary>
public sealed class AfricasTalkingPlugin : IPlugin
{
    public const string Id = "africastalking";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddSingleton(new AfricasTalkingHttp(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }));
        plugin.Services.AddKeyedScoped<ISmsGateway, AfricasTalkingGateway>(Id);
        foreach (var setting in AfricasTalkingOptions.Declared)
        {
            plugin.AddSetting(setting);
        }

        plugin.MapEndpoints(endpoints =>
        {
            endpoints.MapPost("/delivery-reports", (Delegate)AfricasTalkingCallbacks.DeliveryReportAsync).AllowAnonymous();
            endpoints.MapPost("/incoming", (Delegate)AfricasTalkingCallbacks.IncomingAsync).AllowAnonymous();
        });
    }
}

/// <summary>The plugin's one HTTP client (a type of its own, so the host's container can hold it).</summary>
public sealed record AfricasTalkingHttp(HttpClient Client);
