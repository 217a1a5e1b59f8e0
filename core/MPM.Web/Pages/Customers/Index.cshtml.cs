using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Customers;

namespace MPM.Web.Pages.Customers;

public sealed class IndexModel(CustomerDirectory directory) : PageModel
{
    public const int PageSize = 25;

    public string? Search { get; private set; }

    public CustomerSort Sort { get; private set; }

    public Paged<CustomerRow> Result { get; private set; } = null!;

    public async Task OnGetAsync(string? q, CustomerSort sort, int p, CancellationToken cancellationToken)
    {
        Search = q;
        Sort = sort;
        Result = await directory.SearchAsync(q, p, PageSize, sort, cancellationToken);
    }
}
