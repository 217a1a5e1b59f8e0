using System.Collections.Concurrent;
using MPM.Sdk.Weather;
using MPM.Web.Plugins;

namespace MPM.Web.Features.Dashboards;

/// <param name="Provider">The weather plugin's id; null when none is active.</param>
/// <param name="Message">Why there is no forecast ("forecast unavailable", "no weather plugin is active").</param>
public sealed record WeatherReport(bool Available, string? Provider, IReadOnlyList<DailyForecast> Days, string? Message);

/// <summary>
/// The daily forecast of a location from the first active weather plugin. A dashboard never waits long for it: a
/// request waits at most its budget, then answers "forecast unavailable" while the plugin's call goes on in the
/// background and fills the cache for the next request. Answers (and failures, more briefly) are kept a while.
/// </summary>
public sealed class WeatherForecasts(IServiceProvider services, PluginHost plugins, TimeProvider clock, ILogger<WeatherForecasts> logger)
{
    public const int Days = 7;
    public const string Unavailable = "forecast unavailable";

    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Provider, decimal Latitude, decimal Longitude), Entry> entries = new();

    public async Task<WeatherReport> GetAsync(decimal latitude, decimal longitude, TimeSpan budget, CancellationToken cancellationToken)
    {
        var (id, provider) = plugins.Active
            .Where(p => p.Manifest?.Kinds.Contains(MPM.Sdk.PluginKinds.Weather) == true)
            .Select(p => (p.Id, Provider: services.GetKeyedService<IWeatherProvider>(p.Id)))
            .FirstOrDefault(p => p.Provider is not null);
        if (provider is null)
        {
            return new WeatherReport(false, null, [], "no weather plugin is active");
        }

        var key = (id, decimal.Round(latitude, 2), decimal.Round(longitude, 2));
        var now = clock.GetUtcNow();
        var entry = entries.AddOrUpdate(
            key,
            _ => Start(provider, key.Item2, key.Item3, now),
            (_, existing) => existing.Expired(now) ? Start(provider, key.Item2, key.Item3, now) : existing);
        var finished = await Task.WhenAny(entry.Task, Task.Delay(budget, clock, cancellationToken)) == entry.Task;
        return finished && entry.Task.Result is { } days
            ? new WeatherReport(true, id, days, null)
            : new WeatherReport(false, id, [], Unavailable);
    }

    private Entry Start(IWeatherProvider provider, decimal latitude, decimal longitude, DateTimeOffset now)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                return await provider.GetDailyForecastAsync((double)latitude, (double)longitude, Days, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogInformation("Weather forecast for {Latitude}, {Longitude} unavailable: {Error}", latitude, longitude, e.Message);
                return null;
            }
        });
        return new Entry(task, now);
    }

    private sealed record Entry(Task<IReadOnlyList<DailyForecast>?> Task, DateTimeOffset Started)
    {
        public bool Expired(DateTimeOffset now) =>
            Task.IsCompleted && now - Started > (Task.Result is null ? RetryAfterFailure : Fresh);
    }
}
