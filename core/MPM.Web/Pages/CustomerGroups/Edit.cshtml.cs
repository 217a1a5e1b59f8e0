using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Web.Features.Catalog;

namespace MPM.Web.Pages.CustomerGroups;

/// <summary>Adds a connection type or group, or renames one.</summary>
[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(CustomerGroupCatalog groups) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public CustomerGroupKind Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public string Label => CustomerGroupCatalog.Label(Kind);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return NotFound(); // a kind that does not exist
        }

        if (Id is { } id)
        {
            Name = await groups.NameAsync(Kind, id, cancellationToken);
            if (Name is null)
            {
                return NotFound();
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return NotFound();
        }

        var result = await groups.SaveAsync(Kind, Id, Name, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Name), result.Errors["name"]);
            return Page();
        }

        TempData["Flash"] = $"{char.ToUpperInvariant(Label[0])}{Label[1..]} {Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }
}
