using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Catalog;
using MPM.Web.Settings;

namespace MPM.Web.Pages.Tariffs;

public sealed class IndexModel(TariffCatalog tariffs, OperatorSettingsStore settings) : PageModel
{
    public IReadOnlyList<TariffRow> Rows { get; private set; } = [];

    public string? Currency { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rows = await tariffs.ListAsync(cancellationToken);
        Currency = (await settings.GetAsync(cancellationToken)).Currency;
    }
}
