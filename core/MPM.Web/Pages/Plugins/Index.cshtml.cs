using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Plugins;

namespace MPM.Web.Pages.Plugins;

public sealed class IndexModel(PluginHost host) : PageModel
{
    public IReadOnlyList<LoadedPlugin> Plugins => host.Plugins;

    public void OnGet()
    {
    }
}
