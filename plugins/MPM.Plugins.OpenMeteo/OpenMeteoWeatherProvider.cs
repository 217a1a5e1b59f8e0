using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Weather;

namespace MPM.Plugins.OpenMeteo;

/// <summary>The SDK's weather provider: the plugin's settings, then the (cached) client.</summary>
public sealed class OpenMeteoWeatherProvider(IServiceScopeFactory scopes, OpenMeteoClient client) : IWeatherProvider
{
    public async Task<IReadOnlyList<DailyForecast>> GetDailyForecastAsync(double latitude, double longitude, int days, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string?> settings;
        await using (var scope = scopes.CreateAsyncScope())
        {
            settings = await scope.ServiceProvider.GetRequiredService<IPluginSettings>().GetAsync(OpenMeteoPlugin.Id, cancellationToken);
        }

        return await client.GetDailyAsync(OpenMeteoOptions.From(settings), latitude, longitude, days, cancellationToken);
    }
}
