using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Tickets;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Tickets;

/// <summary>A new ticket, from the list or from a customer's page (the customer prefilled).</summary>
[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class NewModel(TicketDesk desk, MpmDb db) : PageModel
{
    public sealed class Form
    {
        public string? Title { get; set; }

        public string? Description { get; set; }

        public long? CategoryId { get; set; }

        public long? CustomerId { get; set; }

        public long? MiniGridId { get; set; }

        public long? AssigneeId { get; set; }

        public DateOnly? DueDate { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    /// <summary>The customer the ticket is about, when opened from their page.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Customer { get; set; }

    public string? CustomerName { get; private set; }

    public IReadOnlyList<SelectListItem> Categories { get; private set; } = [];

    public IReadOnlyList<SelectListItem> Assignees { get; private set; } = [];

    public IReadOnlyList<SelectListItem> MiniGrids { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Input.CustomerId = Customer;
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await ShowAsync(cancellationToken);
        }

        var result = await desk.CreateAsync(
            new TicketInput(Input.Title, Input.Description, Input.CategoryId, Input.CustomerId, Input.MiniGridId, Input.AssigneeId, Input.DueDate),
            User.Identity?.Name ?? "?", cancellationToken);
        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return await ShowAsync(cancellationToken);
        }

        TempData["Flash"] = $"Ticket #{result.Id} created.";
        return RedirectToPage("./Details", new { id = result.Id });
    }

    private async Task<PageResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (Input.CustomerId is { } customerId)
        {
            CustomerName = await db.Customers.Where(c => c.Id == customerId).Select(c => c.Name + " " + c.Surname).FirstOrDefaultAsync(cancellationToken);
        }

        Categories = (await desk.CategoriesAsync(cancellationToken)).Select(c => new SelectListItem(c.Name + (c.OutSourced ? " (out-sourced)" : ""), c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assignees = (await desk.UsersAsync(cancellationToken)).Select(u => new SelectListItem($"{u.Name} {u.Tag}", u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        MiniGrids = await db.MiniGrids.OrderBy(g => g.Name).Select(g => new SelectListItem(g.Name, g.Id.ToString())).ToListAsync(cancellationToken);
        return Page();
    }
}
