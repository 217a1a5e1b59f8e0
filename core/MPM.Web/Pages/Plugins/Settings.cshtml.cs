using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Sdk;
using MPM.Web.Plugins;
using MPM.Web.Settings;

namespace MPM.Web.Pages.Plugins;

/// <summary>A form generated from the plugin's declared plugin-scope settings. Secrets are never sent back.</summary>
public sealed class SettingsModel(PluginHost host, PluginSettingsStore store) : PageModel
{
    public LoadedPlugin Plugin { get; private set; } = null!;

    public IReadOnlyList<PluginSetting> Declared { get; private set; } = [];

    public IReadOnlyDictionary<string, string?> Values { get; private set; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public HashSet<string> SecretsSet { get; } = [];

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, bool saved, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Saved = saved;
        Values = await store.GetForDisplayAsync(id, PluginSettingsStore.PluginScope, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, Dictionary<string, string?> values, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Errors = await store.SaveAsync(id, PluginSettingsStore.PluginScope, values, User.Identity?.Name ?? "?", cancellationToken);
        if (Errors.Count == 0)
        {
            return RedirectToPage(new { id, saved = true });
        }

        // Show back what was typed, except secrets.
        Values = Declared.ToDictionary(s => s.Key, s => s.Secret ? null : values.GetValueOrDefault(s.Key));
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var plugin = host.Find(id);
        if (plugin is null || plugin.Status != PluginStatus.Active)
        {
            return false;
        }

        Plugin = plugin;
        Declared = PluginSettingsStore.DeclaredFor(plugin, PluginSettingsStore.PluginScope).ToList();
        foreach (var secret in Declared.Where(s => s.Secret))
        {
            if (await store.HasSecretAsync(id, PluginSettingsStore.PluginScope, secret.Key, cancellationToken))
            {
                SecretsSet.Add(secret.Key);
            }
        }

        return true;
    }
}
