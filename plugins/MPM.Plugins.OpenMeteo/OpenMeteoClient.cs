using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using MPM.Sdk.Weather;

namespace MPM.Plugins.OpenMeteo;

/// <summary>
/// GET {base}/v1/forecast with the daily variables that matter for solar. Answers are cached per location (rounded to
/// 0.01°, about a kilometre) and number of days; a call that takes longer than the timeout fails.
/// </summary>
public sealed class OpenMeteoClient(HttpClient http, TimeProvider clock)
{
    private const string Daily = "temperature_2m_max,temperature_2m_min,precipitation_sum,cloud_cover_mean,sunshine_duration";

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<DailyForecast> Days)> cache = new();

    public async Task<IReadOnlyList<DailyForecast>> GetDailyAsync(OpenMeteoOptions options, double latitude, double longitude, int days, CancellationToken cancellationToken)
    {
        days = Math.Clamp(days, 1, 16);
        var url = new Uri(options.BaseUrl, string.Create(CultureInfo.InvariantCulture,
            $"/v1/forecast?latitude={Math.Round(latitude, 2):0.##}&longitude={Math.Round(longitude, 2):0.##}&daily={Daily}&timezone=auto&forecast_days={days}"));
        var key = url.ToString();
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && now - cached.At < options.CacheFor)
        {
            return cached.Days;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        ForecastResponse? response;
        try
        {
            response = await http.GetFromJsonAsync<ForecastResponse>(url, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Open-Meteo did not answer within {options.Timeout.TotalSeconds:0.#} s");
        }

        var forecast = Parse(response);
        cache[key] = (now, forecast);
        return forecast;
    }

    internal static IReadOnlyList<DailyForecast> Parse(ForecastResponse? response)
    {
        var daily = response?.Daily ?? throw new InvalidDataException("Open-Meteo's answer has no daily forecast");
        var dates = daily.Time ?? [];
        decimal? At(decimal?[]? values, int i) => values is not null && i < values.Length ? values[i] : null;
        return dates.Select((date, i) => new DailyForecast(
                DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                At(daily.TemperatureMax, i),
                At(daily.TemperatureMin, i),
                At(daily.Precipitation, i),
                At(daily.CloudCover, i),
                At(daily.SunshineSeconds, i) is { } seconds ? decimal.Round(seconds / 3600m, 1) : null))
            .ToList();
    }

    internal sealed record ForecastResponse([property: JsonPropertyName("daily")] DailyValues? Daily);

    internal sealed record DailyValues(
        [property: JsonPropertyName("time")] string[]? Time,
        [property: JsonPropertyName("temperature_2m_max")] decimal?[]? TemperatureMax,
        [property: JsonPropertyName("temperature_2m_min")] decimal?[]? TemperatureMin,
        [property: JsonPropertyName("precipitation_sum")] decimal?[]? Precipitation,
        [property: JsonPropertyName("cloud_cover_mean")] decimal?[]? CloudCover,
        [property: JsonPropertyName("sunshine_duration")] decimal?[]? SunshineSeconds);
}
