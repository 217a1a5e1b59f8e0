using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Plugins;
using MPM.Web.Settings;

namespace MPM.Web.Pages.Plugins;

/// <summary>A form generated from the plugin's declared plugin-scope settings. Secrets are never sent back.</summary>
public sealed class SettingsModel(PluginHost host, PluginSettingsStore store) : PageModel
{
    public LoadedPlugin Plugin { get; private set; } = null!;

    public PluginSettingsForm Form { get; private set; } = null!;

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, bool saved, CancellationToken cancellationToken)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        Saved = saved;
        Form = await store.FormAsync(id, PluginSettingsStore.PluginScope, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, Dictionary<string, string?> values, CancellationToken cancellationToken)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        var errors = await store.SaveAsync(id, PluginSettingsStore.PluginScope, values, User.Identity?.Name ?? "?", cancellationToken);
        if (errors.Count == 0)
        {
            return RedirectToPage(new { id, saved = true });
        }

        Form = (await store.FormAsync(id, PluginSettingsStore.PluginScope, cancellationToken)).Retyped(values, errors);
        return Page();
    }

    private bool Load(string id)
    {
        var plugin = host.Find(id);
        if (plugin is null || plugin.Status != PluginStatus.Active)
        {
            return false;
        }

        Plugin = plugin;
        return true;
    }
}
