using MPM.Web.Plugins;
using MPM.Web.Settings;

namespace MPM.Web.Demo;

/// <summary>
/// Sets up the mobile-money plugins for local trials, when they are enabled: callers from this machine only, Vodacom
/// spId 332277 with no password check, Airtel's demo credentials, and no outgoing URLs (outcomes are recorded as not sent).
/// The core names the plugins by id and setting key only; it never references their code.
/// </summary>
public sealed class PaymentProvidersSection(PluginSettingsStore settings, PluginHost plugins) : IDemoSection
{
    public const string LocalCallers = "127.0.0.1, ::1";
    public const string VodacomId = "vodacom-tz";
    public const string VodacomSpId = "332277";
    public const string AirtelId = "airtel-tz";
    public const string AirtelApiUser = "mpm-demo";
    public const string AirtelApiPassword = "mpm-demo-password";

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Settings { get; } = new Dictionary<string, IReadOnlyDictionary<string, string?>>
    {
        [VodacomId] = new Dictionary<string, string?> { ["allowedIps"] = LocalCallers, ["spId"] = VodacomSpId, ["currency"] = "TZS", ["resultUrl"] = null },
        [AirtelId] = new Dictionary<string, string?> { ["allowedIps"] = LocalCallers, ["apiUser"] = AirtelApiUser, ["apiPassword"] = AirtelApiPassword, ["currency"] = "TZS", ["rollbackUrl"] = null },
    };

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        foreach (var (pluginId, values) in Settings)
        {
            if (plugins.Find(pluginId) is not { Status: PluginStatus.Active })
            {
                continue;
            }

            var errors = await settings.SaveAsync(pluginId, PluginSettingsStore.PluginScope, values, "demo", cancellationToken);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"the demo settings of {pluginId} were refused: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
            }
        }
    }
}
