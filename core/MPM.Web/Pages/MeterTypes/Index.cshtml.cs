using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Catalog;

namespace MPM.Web.Pages.MeterTypes;

public sealed class IndexModel(MeterTypeCatalog meterTypes) : PageModel
{
    public IReadOnlyList<MeterTypeRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await meterTypes.ListAsync(cancellationToken);
}
