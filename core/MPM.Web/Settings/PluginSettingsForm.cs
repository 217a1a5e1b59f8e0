using MPM.Sdk;

namespace MPM.Web.Settings;

/// <summary>
/// What a form generated from a plugin's declared settings shows (Pages/Shared/_PluginSettingsFields.cshtml): the
/// values, never a secret — only whether each secret is set — and the problems of the last save.
/// </summary>
public sealed record PluginSettingsForm(
    IReadOnlyList<PluginSetting> Declared, IReadOnlyDictionary<string, string?> Values, IReadOnlyDictionary<string, string> Errors, IReadOnlySet<string> SecretsSet)
{
    /// <summary>The form again after a failed save: what was typed, except secrets, with the problems.</summary>
    public PluginSettingsForm Retyped(IReadOnlyDictionary<string, string?> input, IReadOnlyDictionary<string, string> errors) =>
        this with { Values = Declared.ToDictionary(s => s.Key, s => s.Secret ? null : input.GetValueOrDefault(s.Key)), Errors = errors };
}
