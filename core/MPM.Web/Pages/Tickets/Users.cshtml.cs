using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using MPM.Data;
using MPM.Web.Features.Tickets;
using MPM.Web.Security;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Tickets;

/// <summary>
/// Ticketing users: a person (optionally an operator account) with their ticketing-system tag. With a provider
/// configured, the tag is checked there before anything is saved.
/// </summary>
[ChangesRequireManagerOrAdmin]
public sealed class UsersModel(TicketDesk desk, TicketingProviders providers, MpmDb db) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }

        public string? Tag { get; set; }

        public long? UserId { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public IReadOnlyList<TicketUserRow> Users { get; private set; } = [];

    public IReadOnlyList<SelectListItem> StaffAccounts { get; private set; } = [];

    public string? Provider { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = ModelState.IsValid
            ? await desk.AddUserAsync(new TicketUserInput(Input.Name, Input.Tag, Input.UserId), User.Identity?.Name ?? "?", cancellationToken)
            : null;
        if (result is not { Succeeded: true })
        {
            if (result is not null)
            {
                FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Flash"] = "Ticketing user added.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Users = await desk.UsersAsync(cancellationToken);
        StaffAccounts = await db.Users.Where(u => !u.Disabled).OrderBy(u => u.Email).Select(u => new SelectListItem(u.Email, u.Id.ToString())).ToListAsync(cancellationToken);
        Provider = await providers.CurrentAsync(cancellationToken);
    }
}
