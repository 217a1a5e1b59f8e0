using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Places;

namespace MPM.Web.Pages.Places.Clusters;

public sealed class IndexModel(PlaceCatalog places) : PageModel
{
    public Paged<ClusterRow> Rows { get; private set; } = null!;

    public async Task OnGetAsync(int p = 1, CancellationToken cancellationToken = default) => Rows = await places.ClustersAsync(p, cancellationToken);
}
