using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Features.Dashboards;
using MPM.Web.Settings;

namespace MPM.Web.Pages.Dashboards;

/// <summary>The period form of the dashboards (from/to, the operator's days) and how their maps and charts get their data.</summary>
public abstract class DashboardPageModel(MpmDb db, TimeProvider clock) : PageModel
{
    protected MpmDb Db => db;

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public DashboardPeriod Period { get; private set; } = null!;

    /// <summary>Why the requested period was not used (the default was shown instead).</summary>
    public string? PeriodProblem { get; private set; }

    /// <summary>Data for wwwroot/js/dashboards.js, as a data-* attribute: no inline script.</summary>
    public static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    protected async Task ReadPeriodAsync(CancellationToken cancellationToken)
    {
        var today = await OperatorClock.TodayAsync(db, clock, cancellationToken);
        var (period, problem) = DashboardPeriod.Parse(From, To, today);
        Period = period ?? DashboardPeriod.Default(today);
        PeriodProblem = problem;
    }
}
