using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core.Domain;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Reports;
using MPM.Web.Security;

namespace MPM.Web.Pages.Reports;

/// <summary>
/// Stored reports by kind and period, each downloadable in every format it was generated in; managers and admins
/// generate one now for a chosen kind and day: it is queued and rendered in the background while the page shows its
/// progress (polling the Run handler), then its download links, or the reason it failed. Scheduled reports appear here
/// by themselves.
/// </summary>
[ChangesRequireManagerOrAdmin]
public sealed class IndexModel(ReportArchive archive, ReportRuns runs, OperatorProfile profile) : PageModel
{
    public sealed record Entry(string Kind, ReportPeriod Period, IReadOnlyList<StoredReport> Files);

    public IReadOnlyList<Entry> Reports { get; private set; } = [];

    public IReadOnlyList<string> Formats { get; private set; } = [];

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Period { get; set; }

    public string? Problem { get; private set; }

    /// <summary>The "generate now" run the page follows (after a POST it redirects here with ?run=id).</summary>
    public ReportRunView? Run { get; private set; }

    public async Task OnGetAsync(long? run, CancellationToken cancellationToken)
    {
        Period ??= (await profile.TodayAsync(cancellationToken)).AddMonths(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Run = run is { } id ? await runs.GetAsync(id, cancellationToken) : null;
        await LoadAsync(cancellationToken);
    }

    /// <summary>A run's progress as JSON: status queued/running/done/failed, step, formats done of total, reason, and the files when done.</summary>
    public async Task<IActionResult> OnGetRunAsync(long id, CancellationToken cancellationToken)
    {
        var view = await runs.GetAsync(id, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        return new JsonResult(new
        {
            view.Id,
            view.Kind,
            view.Title,
            view.PeriodStart,
            view.PeriodEnd,
            view.Status,
            view.Step,
            view.FormatsDone,
            view.FormatsTotal,
            view.Reason,
            Files = view.Files.Select(f => new { f.Format, f.FileName, f.Size, Url = Url.Page("/Reports/Index", "Download", new { id = f.Id }) }),
        });
    }

    public async Task<IActionResult> OnGetDownloadAsync(long id, CancellationToken cancellationToken)
    {
        var report = await archive.GetAsync(id, cancellationToken);
        return report is null ? NotFound() : File(report.Content, report.ContentType, report.FileName);
    }

    public async Task<IActionResult> OnPostGenerateAsync(CancellationToken cancellationToken)
    {
        if (Kind is null || !ReportKinds.All.Contains(Kind))
        {
            Problem = "Choose a kind of report.";
        }
        else if (!DateOnly.TryParseExact(Period?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Problem = "Choose a day of the week or month, like 2026-03-15.";
        }
        else if (archive.Formats().Count == 0)
        {
            Problem = "No report pack is active: enable reports-pdf or reports-xlsx.";
        }
        else
        {
            var id = await runs.QueueAsync(Kind, ReportPeriod.Of(Kind, day), User.Identity?.Name ?? "operator", cancellationToken);
            return RedirectToPage(new { run = id });
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Formats = archive.Formats().Select(f => f.Format.Name).ToList();
        Reports = (await archive.ListAsync(cancellationToken))
            .GroupBy(r => (r.Kind, r.PeriodStart, r.PeriodEnd))
            .Select(g => new Entry(g.Key.Kind, new ReportPeriod(g.Key.PeriodStart, g.Key.PeriodEnd), g.OrderBy(f => f.Format, StringComparer.Ordinal).ToList()))
            .ToList();
    }
}
