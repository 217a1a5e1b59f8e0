using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Mvc;
using MPM.Data;
using MPM.Web.Features.Dashboards;

namespace MPM.Web.Pages.Dashboards;

/// <summary>
/// A mini-grid's dashboard. The weather forecast is fetched by the page after it rendered (handler "Weather"), so the
/// page never waits for the weather plugin.
/// </summary>
public sealed class MiniGridModel(DashboardQueries queries, WeatherForecasts weather, MpmDb db, TimeProvider clock) : DashboardPageModel(db, clock)
{
    /// <summary>How long the page's weather request waits for the plugin before it answers "forecast unavailable".</summary>
    public static readonly TimeSpan WeatherBudget = TimeSpan.FromSeconds(4);

    public MiniGridDashboard Dashboard { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        await ReadPeriodAsync(cancellationToken);
        if (await queries.MiniGridAsync(id, Period, cancellationToken) is not { } dashboard)
        {
            return NotFound();
        }

        Dashboard = dashboard;
        return Page();
    }

    public async Task<IActionResult> OnGetWeatherAsync(long id, CancellationToken cancellationToken)
    {
        var place = await Db.GetTable<MiniGridRecord>().Where(g => g.Id == id).Select(g => new { g.Latitude, g.Longitude }).FirstOrDefaultAsync(cancellationToken);
        return place is null ? NotFound() : new JsonResult(await weather.GetAsync(place.Latitude, place.Longitude, WeatherBudget, cancellationToken));
    }
}
