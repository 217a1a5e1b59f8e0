using Microsoft.AspNetCore.Mvc;
using MPM.Data;
using MPM.Web.Features.Dashboards;

namespace MPM.Web.Pages.Dashboards;

/// <summary>A cluster's dashboard: totals, its mini-grids' figures and map, targets vs actual, revenue trends per customer group.</summary>
public sealed class ClusterModel(DashboardQueries queries, MpmDb db, TimeProvider clock) : DashboardPageModel(db, clock)
{
    public ClusterDashboard Dashboard { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        await ReadPeriodAsync(cancellationToken);
        if (await queries.ClusterAsync(id, Period, cancellationToken) is not { } dashboard)
        {
            return NotFound();
        }

        Dashboard = dashboard;
        return Page();
    }
}
