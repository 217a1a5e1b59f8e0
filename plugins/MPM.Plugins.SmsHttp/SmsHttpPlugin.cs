using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Plugins.SmsHttp;

/// <summary>
/// A generic HTTP SMS gateway, for Android SMS gateway apps: sending is one configurable POST of
/// {"to","message","id"}; the app reports received messages and delivery at /plugins/sms-http/incoming, each request
/// signed with X-Signature = hex HMAC-SHA256(webhook secret, raw body).
/// </summary>
public sealed class SmsHttpPlugin : IPlugin
{
    public const string Id = "sms-http";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddSingleton(new SmsHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }));
        plugin.Services.AddKeyedScoped<ISmsGateway, SmsHttpGateway>(Id);
        foreach (var setting in SmsHttpOptions.Declared)
        {
            plugin.AddSetting(setting);
        }

        plugin.MapEndpoints(endpoints => endpoints.MapPost("/incoming", (Delegate)SmsHttpWebhook.HandleAsync).AllowAnonymous());
    }
}

/// <summary>The plugin's one HTTP client (a type of its own, so the host's container can hold it).</summary>
public sealed record SmsHttpClient(HttpClient Client);
