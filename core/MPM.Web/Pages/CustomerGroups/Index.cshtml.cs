using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Catalog;

namespace MPM.Web.Pages.CustomerGroups;

public sealed class IndexModel(CustomerGroupCatalog groups) : PageModel
{
    public IReadOnlyList<CustomerGroupRow> ConnectionTypes { get; private set; } = [];

    public IReadOnlyList<CustomerGroupRow> ConnectionGroups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ConnectionTypes = await groups.ListAsync(CustomerGroupKind.ConnectionType, cancellationToken);
        ConnectionGroups = await groups.ListAsync(CustomerGroupKind.ConnectionGroup, cancellationToken);
    }
}
