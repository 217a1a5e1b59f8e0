using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Features.Tickets;
using MPM.Web.Security;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Tickets;

/// <summary>Ticket categories (name, colour, out-sourced); everyone reads, managers and admins add.</summary>
[ChangesRequireManagerOrAdmin]
public sealed class CategoriesModel(TicketDesk desk) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }

        public string? Colour { get; set; } = "#0d6efd";

        public bool OutSourced { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public IReadOnlyList<TicketCategoryRecord> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Categories = await desk.CategoriesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await desk.AddCategoryAsync(new CategoryInput(Input.Name, Input.Colour, Input.OutSourced), User.Identity?.Name ?? "?", cancellationToken);
        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            Categories = await desk.CategoriesAsync(cancellationToken);
            return Page();
        }

        TempData["Flash"] = $"Category {Input.Name!.Trim()} added.";
        return RedirectToPage();
    }
}
