using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.DataProtection;
using MPM.Data;
using MPM.Sdk;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Settings;

/// <summary>
/// Stored values of plugins' declared settings, one JSON row per plugin and scope. Secret values are encrypted with
/// ASP.NET Data Protection and never handed to a page: forms get <see cref="FormAsync"/>.
/// Precedence: stored value, then the plugin's "settings" in plugins.json, then the declared default.
/// </summary>
public sealed class PluginSettingsStore(MpmDb db, PluginHost host, IDataProtectionProvider protection, TimeProvider clock, AuditLog audit) : IPluginSettings
{
    public const string PluginScope = "plugin";
    private const string EncryptedPrefix = "enc:";
    private readonly IDataProtector _protector = protection.CreateProtector("MPM.PluginSettings.v1");

    public static string ManufacturerScope(long manufacturerId) => $"manufacturer:{manufacturerId}";

    public Task<IReadOnlyDictionary<string, string?>> GetAsync(string pluginId, CancellationToken cancellationToken = default) =>
        GetAsync(pluginId, PluginScope, cancellationToken);

    public Task<IReadOnlyDictionary<string, string?>> GetForManufacturerAsync(string pluginId, long manufacturerId, CancellationToken cancellationToken = default) =>
        GetAsync(pluginId, ManufacturerScope(manufacturerId), cancellationToken);

    /// <summary>The values of a scope; a service registered under a key that no loaded plugin has declares no settings.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetAsync(string pluginId, string scope, CancellationToken cancellationToken = default)
    {
        if (host.Find(pluginId) is not { } plugin)
        {
            return new Dictionary<string, string?>();
        }

        var stored = await LoadAsync(pluginId, scope, cancellationToken);
        var result = new Dictionary<string, string?>();
        foreach (var setting in DeclaredFor(plugin, scope))
        {
            if (stored.TryGetValue(setting.Key, out var value) && value is not null)
            {
                result[setting.Key] = setting.Secret ? _protector.Unprotect(value[EncryptedPrefix.Length..]) : value;
            }
            else
            {
                result[setting.Key] = plugin.Entry.Settings is { } json && json.ValueKind == JsonValueKind.Object && json.TryGetProperty(setting.Key, out var fromFile)
                    ? fromFile.ToString()
                    : setting.DefaultValue;
            }
        }

        return result;
    }

    /// <summary>Values for a form: secrets are replaced by whether one is set.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetForDisplayAsync(string pluginId, string scope, CancellationToken cancellationToken = default)
    {
        var plugin = host.Find(pluginId) ?? throw new InvalidOperationException($"unknown plugin '{pluginId}'");
        var values = await GetAsync(pluginId, scope, cancellationToken);
        return DeclaredFor(plugin, scope).ToDictionary(s => s.Key, s => s.Secret ? null : values[s.Key]);
    }

    /// <summary>The contents of a form for the plugin's settings of <paramref name="scope"/>.</summary>
    public async Task<PluginSettingsForm> FormAsync(string pluginId, string scope, CancellationToken cancellationToken = default)
    {
        var plugin = host.Find(pluginId) ?? throw new InvalidOperationException($"unknown plugin '{pluginId}'");
        var declared = DeclaredFor(plugin, scope).ToList();
        var secretsSet = new HashSet<string>();
        foreach (var secret in declared.Where(s => s.Secret))
        {
            if (await HasSecretAsync(pluginId, scope, secret.Key, cancellationToken))
            {
                secretsSet.Add(secret.Key);
            }
        }

        return new PluginSettingsForm(declared, await GetForDisplayAsync(pluginId, scope, cancellationToken), new Dictionary<string, string>(), secretsSet);
    }

    public async Task<bool> HasSecretAsync(string pluginId, string scope, string key, CancellationToken cancellationToken = default) =>
        (await LoadAsync(pluginId, scope, cancellationToken)).GetValueOrDefault(key) is not null;

    /// <summary>Validates and saves. A blank secret keeps the stored one. Returns problems keyed by setting.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(string pluginId, string scope, IReadOnlyDictionary<string, string?> input, string actor, CancellationToken cancellationToken = default)
    {
        var plugin = host.Find(pluginId) ?? throw new InvalidOperationException($"unknown plugin '{pluginId}'");
        var stored = await LoadAsync(pluginId, scope, cancellationToken);
        var errors = new Dictionary<string, string>();
        var updated = new Dictionary<string, string?>();
        foreach (var setting in DeclaredFor(plugin, scope))
        {
            var value = input.GetValueOrDefault(setting.Key)?.Trim();
            if (setting.Secret && string.IsNullOrEmpty(value))
            {
                updated[setting.Key] = stored.GetValueOrDefault(setting.Key);
                if (setting.Required && updated[setting.Key] is null)
                {
                    errors[setting.Key] = $"{setting.Label} is required";
                }

                continue;
            }

            if (Problem(setting, value) is { } problem)
            {
                errors[setting.Key] = problem;
                continue;
            }

            updated[setting.Key] = string.IsNullOrEmpty(value) ? null
                : !setting.Secret ? value
                // The same secret typed again keeps its stored form: it is not a change.
                : stored.GetValueOrDefault(setting.Key) is { } current && Decrypts(current, value) ? current
                : EncryptedPrefix + _protector.Protect(value);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var record = new PluginSettingsRecord { PluginId = pluginId, Scope = scope, Values = JsonSerializer.Serialize(updated), UpdatedAt = clock.GetUtcNow() };
        await db.InsertOrReplaceAsync(record, token: cancellationToken);
        // Names only: a secret's value (or its encrypted form) is never written to the audit log.
        var changed = DeclaredFor(plugin, scope).Where(s => updated.GetValueOrDefault(s.Key) != stored.GetValueOrDefault(s.Key)).Select(s => s.Secret ? $"{s.Key} (secret)" : s.Key).ToList();
        await audit.WriteAsync(actor, "plugin.settings", $"{pluginId} ({scope}): {(changed.Count == 0 ? "nothing changed" : $"changed {string.Join(", ", changed)}")}", cancellationToken);
        return errors;
    }

    public static IEnumerable<PluginSetting> DeclaredFor(LoadedPlugin plugin, string scope) =>
        plugin.Settings.Where(s => (s.Scope == PluginSettingScope.Plugin) == (scope == PluginScope));

    private static string? Problem(PluginSetting setting, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return setting.Required ? $"{setting.Label} is required" : null;
        }

        return setting.Type switch
        {
            PluginSettingType.Number when !decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _) => $"{setting.Label} must be a number",
            PluginSettingType.Boolean when value is not ("true" or "false") => $"{setting.Label} must be true or false",
            PluginSettingType.Choice when !(setting.Options ?? []).Contains(value) => $"{setting.Label} must be one of {string.Join(", ", setting.Options ?? [])}",
            _ => null,
        };
    }

    /// <summary>Whether the stored secret is <paramref name="value"/> (false when it cannot be read, e.g. after the keys changed).</summary>
    private bool Decrypts(string stored, string value)
    {
        try
        {
            return stored.StartsWith(EncryptedPrefix, StringComparison.Ordinal) && _protector.Unprotect(stored[EncryptedPrefix.Length..]) == value;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, string?>> LoadAsync(string pluginId, string scope, CancellationToken cancellationToken)
    {
        var json = await db.PluginSettings.Where(r => r.PluginId == pluginId && r.Scope == scope).Select(r => r.Values).FirstOrDefaultAsync(cancellationToken);
        return json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
    }
}
