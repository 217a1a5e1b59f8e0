using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Maintenance;
using MPM.Web.Features.Operator;

namespace MPM.Web.Pages.Maintenance;

/// <summary>Maintenance jobs: job, contractor, deadline, price, status; open jobs past their deadline are overdue.</summary>
public sealed class IndexModel(MaintenanceDesk desk, OperatorProfile profile) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNo { get; set; } = 1;

    public Paged<MaintenanceRow> Jobs { get; private set; } = null!;

    public string Currency { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Jobs = await desk.ListAsync(Status, PageNo, cancellationToken);
        Currency = (await profile.GetAsync(cancellationToken)).Currency;
    }
}
