using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Places;

namespace MPM.Web.Pages.Places.Villages;

public sealed class IndexModel(PlaceCatalog places) : PageModel
{
    public Paged<VillageRow> Rows { get; private set; } = null!;

    public async Task OnGetAsync(int p = 1, CancellationToken cancellationToken = default) => Rows = await places.VillagesAsync(p, cancellationToken);
}
