using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Maintenance;
using MPM.Web.Features.Operator;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Maintenance;

/// <summary>New Maintenance Request: the job goes to the contractor by SMS and is kept as a ticket with its price.</summary>
[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class NewModel(MaintenanceDesk desk, MpmDb db, OperatorProfile profile) : PageModel
{
    public sealed class Form
    {
        public string? Job { get; set; }

        public string? Details { get; set; }

        public DateOnly? Deadline { get; set; }

        public long? ContractorId { get; set; }

        public decimal? Price { get; set; }

        public long? CategoryId { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public IReadOnlyList<SelectListItem> Contractors { get; private set; } = [];

    public IReadOnlyList<SelectListItem> Categories { get; private set; } = [];

    public string Currency { get; private set; } = "";

    public Task<PageResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await ShowAsync(cancellationToken);
        }

        var result = await desk.RequestAsync(
            new MaintenanceInput(Input.Job, Input.Details, Input.Deadline, Input.ContractorId, Input.Price, Input.CategoryId), User.Identity?.Name ?? "?", cancellationToken);
        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return await ShowAsync(cancellationToken);
        }

        TempData["Flash"] = $"Maintenance request #{result.Id} saved; the SMS to the contractor is queued.";
        return RedirectToPage("./Index");
    }

    private async Task<PageResult> ShowAsync(CancellationToken cancellationToken)
    {
        Contractors = await db.Contractors.OrderBy(c => c.Name).Select(c => new SelectListItem(c.Name + " (" + c.Phone + ")", c.Id.ToString())).ToListAsync(cancellationToken);
        Categories = await db.TicketCategories.Where(c => c.OutSourced).OrderBy(c => c.Name).Select(c => new SelectListItem(c.Name, c.Id.ToString())).ToListAsync(cancellationToken);
        Currency = (await profile.GetAsync(cancellationToken)).Currency;
        return Page();
    }
}
