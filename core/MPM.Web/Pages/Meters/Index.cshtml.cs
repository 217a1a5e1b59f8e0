using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Meters;

namespace MPM.Web.Pages.Meters;

public sealed class IndexModel(MeterDirectory directory) : PageModel
{
    public const int PageSize = 25;

    public string? Search { get; private set; }

    public Paged<MeterRow> Result { get; private set; } = null!;

    public async Task OnGetAsync(string? q, int p, CancellationToken cancellationToken)
    {
        Search = q;
        Result = await directory.SearchAsync(q, p, PageSize, cancellationToken);
    }
}
