using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Plugins;
using MPM.Web.Settings;

namespace MPM.Web.Pages.Manufacturers;

/// <summary>
/// The token generator plugin's per-manufacturer settings (for STS: the vending key and key data), a form generated
/// from what the plugin declares. Admins only: they hold the vending key. Secrets are never sent back.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class SettingsModel(ManufacturerCatalog manufacturers, PluginHost plugins, PluginSettingsStore store) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public ManufacturerRecord Manufacturer { get; private set; } = null!;

    /// <summary>The token generator, when it is loaded; otherwise its settings cannot be edited.</summary>
    public LoadedPlugin? Plugin { get; private set; }

    public PluginSettingsForm? Form { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Plugin is not null)
        {
            Form = await store.FormAsync(Plugin.Id, Scope, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Dictionary<string, string?> values, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Plugin is null)
        {
            return NotFound();
        }

        var errors = await store.SaveAsync(Plugin.Id, Scope, values, User.Identity?.Name ?? "?", cancellationToken);
        if (errors.Count == 0)
        {
            TempData["Flash"] = $"Settings of {Manufacturer.Name} saved.";
            return RedirectToPage(new { Id });
        }

        Form = (await store.FormAsync(Plugin.Id, Scope, cancellationToken)).Retyped(values, errors);
        return Page();
    }

    private string Scope => PluginSettingsStore.ManufacturerScope(Id);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var manufacturer = await manufacturers.GetAsync(Id, cancellationToken);
        if (manufacturer is null)
        {
            return false;
        }

        Manufacturer = manufacturer;
        Plugin = plugins.Find(manufacturer.TokenGenerator) is { Status: PluginStatus.Active } plugin ? plugin : null;
        return true;
    }
}
