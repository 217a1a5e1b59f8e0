using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Weather;

namespace MPM.Plugins.OpenMeteo;

/// <summary>Daily forecasts (temperature, precipitation, cloud cover, sunshine) from the Open-Meteo API, cached, with a short timeout.</summary>
public sealed class OpenMeteoPlugin : IPlugin
{
    public const string Id = "open-meteo";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddSingleton(sp => new OpenMeteoClient(new HttpClient(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        plugin.Services.AddKeyedSingleton<IWeatherProvider, OpenMeteoWeatherProvider>(Id);
        plugin.AddSetting(new PluginSetting(OpenMeteoOptions.BaseUrlKey, "API base URL", Help: "Where the Open-Meteo forecast API is.", DefaultValue: OpenMeteoOptions.DefaultBaseUrl));
        plugin.AddSetting(new PluginSetting(OpenMeteoOptions.TimeoutKey, "Timeout (seconds)", PluginSettingType.Number, Help: "How long to wait for an answer.", DefaultValue: "3"));
        plugin.AddSetting(new PluginSetting(OpenMeteoOptions.CacheKey, "Cache (minutes)", PluginSettingType.Number, Help: "How long a forecast is kept before it is asked for again.", DefaultValue: "60"));
    }
}
