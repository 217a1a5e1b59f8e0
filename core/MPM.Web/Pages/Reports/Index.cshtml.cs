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
/// generate one now for a chosen kind and day. Scheduled reports appear here by themselves.
/// </summary>
[ChangesRequireManagerOrAdmin]
public sealed class IndexModel(ReportArchive archive, OperatorProfile profile) : PageModel
{
    public sealed record Entry(string Kind, ReportPeriod Period, IReadOnlyList<StoredReport> Files);

    public IReadOnlyList<Entry> Reports { get; private set; } = [];

    public IReadOnlyList<string> Formats { get; private set; } = [];

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Period { get; set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Period ??= (await profile.TodayAsync(cancellationToken)).AddMonths(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await LoadAsync(cancellationToken);
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
            var period = ReportPeriod.Of(Kind, day);
            var files = await archive.GenerateAsync(Kind, period, User.Identity?.Name ?? "operator", cancellationToken);
            TempData["Flash"] = $"{ReportKinds.Title(Kind)} {period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd} generated ({string.Join(", ", files.Select(f => f.Format.Name))}).";
            return RedirectToPage();
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
