using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Catalog;
using MPM.Web.Plugins;

namespace MPM.Web.Pages.Manufacturers;

public sealed class IndexModel(ManufacturerCatalog manufacturers, PluginHost plugins) : PageModel
{
    public IReadOnlyList<ManufacturerRow> Rows { get; private set; } = [];

    /// <summary>The plugin's name, or why it does not serve the manufacturer now.</summary>
    public string TokenGenerator(string pluginId) => plugins.Find(pluginId) switch
    {
        { Status: PluginStatus.Active } plugin => plugin.Manifest!.Name,
        null => $"{pluginId} (not in plugins.json)",
        var plugin => $"{pluginId} ({plugin.Status.ToString().ToLowerInvariant()})",
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await manufacturers.ListAsync(cancellationToken);
}
