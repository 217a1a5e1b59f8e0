namespace MPM.Sdk;

/// <summary>A setting a plugin declares; the host generates the form and stores the value.</summary>
/// <param name="Key">Stable key, e.g. "apiPassword".</param>
/// <param name="Secret">Stored encrypted and never shown back.</param>
/// <param name="Scope">Whether it is set once for the plugin or per meter manufacturer that uses the plugin.</param>
/// <param name="Options">Allowed values for <see cref="PluginSettingType.Choice"/>.</param>
public sealed record PluginSetting(
    string Key,
    string Label,
    PluginSettingType Type = PluginSettingType.Text,
    bool Secret = false,
    bool Required = false,
    string? Help = null,
    string? DefaultValue = null,
    IReadOnlyList<string>? Options = null,
    PluginSettingScope Scope = PluginSettingScope.Plugin);

public enum PluginSettingType
{
    Text,
    Number,
    Boolean,
    Choice,
    Multiline,
}

public enum PluginSettingScope
{
    Plugin,
    Manufacturer,
}
