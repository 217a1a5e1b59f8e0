using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Catalog;
using MPM.Web.Settings;

namespace MPM.Web.Pages.AssetTypes;

public sealed class IndexModel(AssetTypeCatalog assetTypes, OperatorSettingsStore settings) : PageModel
{
    public IReadOnlyList<AssetTypeRow> Rows { get; private set; } = [];

    public string? Currency { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rows = await assetTypes.ListAsync(cancellationToken);
        Currency = (await settings.GetAsync(cancellationToken)).Currency;
    }
}
