using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Features;
using MPM.Web.Security;

namespace MPM.Web.Pages.Audit;

/// <summary>The audit log for admins: who did what, when; filtered by user, kind and period (UTC days), paged.</summary>
public sealed class IndexModel(AuditLog audit) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public List<AuditRecord> Entries { get; private set; } = [];

    public List<string> Kinds { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Clamp(PageNumber, 1, int.MaxValue / PageSize);
        DateTimeOffset? from = FilterDays.Usable(ModelState, nameof(From), From) is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        DateTimeOffset? to = FilterDays.Usable(ModelState, nameof(To), To) is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        (Entries, Total) = await audit.SearchAsync(Actor, Kind, from, to, PageNumber, PageSize, cancellationToken);
        Kinds = await audit.KindsAsync(cancellationToken);
    }

    public string PageUrl(int page) => Url.Page("/Audit/Index", new { Actor, Kind, From = From?.ToString("yyyy-MM-dd"), To = To?.ToString("yyyy-MM-dd"), p = page })!;
}
