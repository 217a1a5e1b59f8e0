using MPM.Data;
using MPM.Web.Features.Dashboards;
using MPM.Web.Settings;

namespace MPM.Web.Api;

/// <summary>The dashboards as JSON, the same figures as the pages: GET /api/v1/dashboards/clusters, /clusters/{id}, /mini-grids/{id}.</summary>
public static class DashboardsApi
{
    /// <summary>How long the JSON of a mini-grid waits for its weather forecast before answering without it.</summary>
    public static readonly TimeSpan WeatherBudget = TimeSpan.FromMilliseconds(250);

    public sealed record MiniGridDashboardResponse(MiniGridDashboard Dashboard, WeatherReport Weather);

    private const string PeriodHelp = " from/to: the operator's calendar days (yyyy-MM-dd, both included); by default the current month and the five before it.";

    public static void MapDashboards(this RouteGroupBuilder api)
    {
        api.MapGet("/dashboards/clusters", async (DashboardQueries queries, MpmDb db, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
                await WithPeriodAsync(db, clock, from, to, async period => Results.Ok(await queries.ClustersAsync(period, ct)), ct))
            .WithName("ClustersDashboard")
            .WithSummary("Totals, and revenue per cluster and mini-grid (confirmed transactions)." + PeriodHelp);
        api.MapGet("/dashboards/clusters/{id:long}", async (long id, DashboardQueries queries, MpmDb db, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
                await WithPeriodAsync(db, clock, from, to, async period =>
                    await queries.ClusterAsync(id, period, ct) is { } dashboard ? Results.Ok(dashboard) : ApiResults.NotFound($"There is no cluster {id}."), ct))
            .WithName("ClusterDashboard")
            .WithSummary("A cluster's totals, its mini-grids, targets rolled up (its own target, else the sum of its mini-grids') and revenue per customer group over time." + PeriodHelp);
        api.MapGet("/dashboards/mini-grids/{id:long}", async (long id, DashboardQueries queries, WeatherForecasts weather, MpmDb db, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
                await WithPeriodAsync(db, clock, from, to, async period =>
                {
                    if (await queries.MiniGridAsync(id, period, ct) is not { } dashboard)
                    {
                        return ApiResults.NotFound($"There is no mini-grid {id}.");
                    }

                    var forecast = await weather.GetAsync(dashboard.MiniGrid.Latitude, dashboard.MiniGrid.Longitude, WeatherBudget, ct);
                    return Results.Ok(new MiniGridDashboardResponse(dashboard, forecast));
                }, ct))
            .WithName("MiniGridDashboard")
            .WithSummary("A mini-grid's figures per customer type against its target, payments over time, ticket status and the weather forecast." + PeriodHelp);
    }

    private static async Task<IResult> WithPeriodAsync(MpmDb db, TimeProvider clock, string? from, string? to, Func<DashboardPeriod, Task<IResult>> answer, CancellationToken ct)
    {
        var (period, problem) = DashboardPeriod.Parse(from, to, await OperatorClock.TodayAsync(db, clock, ct));
        return period is null ? ApiResults.Invalid(problem!.StartsWith("to", StringComparison.Ordinal) ? "to" : "from", problem) : await answer(period);
    }
}
