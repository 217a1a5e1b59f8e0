using System.Globalization;

namespace MPM.Plugins.OpenMeteo;

public sealed record OpenMeteoOptions(Uri BaseUrl, TimeSpan Timeout, TimeSpan CacheFor)
{
    public const string BaseUrlKey = "baseUrl";
    public const string TimeoutKey = "timeoutSeconds";
    public const string CacheKey = "cacheMinutes";
    public const string DefaultBaseUrl = "https://api.open-meteo.com";

    /// <summary>The plugin's settings; a missing or unreadable value takes its default.</summary>
    public static OpenMeteoOptions From(IReadOnlyDictionary<string, string?> settings)
    {
        var url = settings.GetValueOrDefault(BaseUrlKey);
        return new OpenMeteoOptions(
            Uri.TryCreate(string.IsNullOrWhiteSpace(url) ? DefaultBaseUrl : url.Trim(), UriKind.Absolute, out var uri) ? uri : new Uri(DefaultBaseUrl),
            TimeSpan.FromSeconds(Number(settings.GetValueOrDefault(TimeoutKey), 3, 0.1, 60)),
            TimeSpan.FromMinutes(Number(settings.GetValueOrDefault(CacheKey), 60, 0, 24 * 60)));
    }

    private static double Number(string? value, double fallback, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max ? number : fallback;
}
