namespace MPM.Sdk.Weather;

/// <summary>Daily forecasts for a location. Registered keyed by the plugin id.</summary>
public interface IWeatherProvider
{
    /// <summary>Throws when the forecast cannot be had; the host shows "forecast unavailable".</summary>
    Task<IReadOnlyList<DailyForecast>> GetDailyForecastAsync(double latitude, double longitude, int days, CancellationToken cancellationToken);
}

public sealed record DailyForecast(
    DateOnly Date,
    decimal? TemperatureMaxC,
    decimal? TemperatureMinC,
    decimal? PrecipitationMm,
    decimal? CloudCoverPercent,
    decimal? SunshineHours);
