using MPM.Data;
using MPM.Web.Features.Dashboards;
using MPM.Web.Pages.Dashboards;

namespace MPM.Web.Pages;

/// <summary>The clusters dashboard, the home page: totals, revenue per cluster and mini-grid, the cluster map.</summary>
public sealed class IndexModel(DashboardQueries queries, MpmDb db, TimeProvider clock) : DashboardPageModel(db, clock)
{
    public ClustersDashboard Dashboard { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await ReadPeriodAsync(cancellationToken);
        Dashboard = await queries.ClustersAsync(Period, cancellationToken);
    }
}
