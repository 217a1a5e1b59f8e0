using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using MPM.Core;
using MPM.Web.Features.Catalog;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Manufacturers;

/// <summary>A manufacturer's name and token generator. Its plugin settings are on the Settings page (admins).</summary>
[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(ManufacturerCatalog manufacturers) : PageModel
{
    [BindProperty]
    public ManufacturerInput Input { get; set; } = new(null, null);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public IReadOnlyList<SelectListItem> TokenGenerators { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var manufacturer = await manufacturers.GetAsync(id, cancellationToken);
            if (manufacturer is null)
            {
                return NotFound();
            }

            Input = new ManufacturerInput(manufacturer.Name, manufacturer.TokenGenerator);
        }

        return ShowPage();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return ShowPage();
        }

        var result = await manufacturers.SaveAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return ShowPage();
        }

        TempData["Flash"] = $"Manufacturer {Input.Name!.Trim()} saved.";
        // Admins go on to the token generator's settings for this manufacturer.
        return User.IsInRole(Roles.Admin) ? RedirectToPage("./Settings", new { id = result.Id }) : RedirectToPage("./Index");
    }

    private PageResult ShowPage()
    {
        TokenGenerators = manufacturers.TokenGenerators().Select(g => new SelectListItem($"{g.Name} ({g.Id})", g.Id)).ToList();
        return Page();
    }
}
