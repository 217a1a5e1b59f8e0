using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Tickets;
using MPM.Web.Security;

namespace MPM.Web.Pages.Tickets;

/// <summary>The ticket list with its filters; admins choose the ticketing provider here.</summary>
[ChangesRequireManagerOrAdmin]
public sealed class IndexModel(TicketDesk desk, TicketingProviders providers, MpmDb db) : PageModel
{
    public sealed record Option(long Id, string Name);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Assignee { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? MiniGrid { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNo { get; set; } = 1;

    public Paged<TicketRow> Tickets { get; private set; } = null!;

    public IReadOnlyList<Option> Categories { get; private set; } = [];

    public IReadOnlyList<Option> Assignees { get; private set; } = [];

    public IReadOnlyList<Option> MiniGrids { get; private set; } = [];

    public string? Provider { get; private set; }

    public IReadOnlyList<string> ProviderChoices => providers.Choices;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Tickets = await desk.ListAsync(new TicketFilter(Status, Category, Assignee, MiniGrid), PageNo, cancellationToken);
        Categories = (await desk.CategoriesAsync(cancellationToken)).Select(c => new Option(c.Id, c.Name)).ToList();
        Assignees = (await desk.UsersAsync(cancellationToken)).Select(u => new Option(u.Id, $"{u.Name} {u.Tag}")).ToList();
        MiniGrids = await db.MiniGrids.OrderBy(g => g.Name).Select(g => new Option(g.Id, g.Name)).ToListAsync(cancellationToken);
        Provider = await providers.CurrentAsync(cancellationToken);
    }

    /// <summary>Chooses the ticketing provider (empty: built-in only): an admin's choice.</summary>
    public async Task<IActionResult> OnPostProviderAsync(string? provider, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await providers.SetAsync(provider, User.Identity?.Name ?? "?", cancellationToken) is { } problem)
        {
            TempData["Flash"] = $"Not changed: {problem}.";
            return RedirectToPage();
        }

        TempData["Flash"] = provider is { Length: > 0 } ? $"New tickets are now synced to {provider.Trim()}." : "Tickets are kept in the built-in store only.";
        return RedirectToPage();
    }
}
