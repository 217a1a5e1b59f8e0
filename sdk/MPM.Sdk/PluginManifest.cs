namespace MPM.Sdk;

/// <summary>The contents of a plugin's plugin.json.</summary>
/// <param name="Id">Lower-case id: route prefix, settings key, schema suffix and DI key.</param>
/// <param name="Sdk">The SDK major the plugin was built for.</param>
/// <param name="Kinds">What the plugin provides, from <see cref="PluginKinds"/>.</param>
/// <param name="Assembly">The entry assembly's file name inside the plugin folder.</param>
public sealed record PluginManifest(string Id, string Name, string Version, int Sdk, IReadOnlyList<string> Kinds, string Assembly);

public static class PluginKinds
{
    public const string Payment = "payment";
    public const string Token = "token";
    public const string Sms = "sms";
    public const string Ticketing = "ticketing";
    public const string Reports = "reports";
    public const string Weather = "weather";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Payment, Token, Sms, Ticketing, Reports, Weather, Other];
}
