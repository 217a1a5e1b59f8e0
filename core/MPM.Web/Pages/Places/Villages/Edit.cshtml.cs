using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using MPM.Core;
using MPM.Web.Features.Places;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Places.Villages;

[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(PlaceCatalog places) : PageModel
{
    [BindProperty]
    public VillageInput Input { get; set; } = new(null, null, null, null);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public IReadOnlyList<SelectListItem> MiniGrids { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var village = await places.VillageAsync(id, cancellationToken);
            if (village is null)
            {
                return NotFound();
            }

            Input = village;
        }

        return await PageAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await PageAsync(cancellationToken);
        }

        var result = await places.SaveVillageAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return await PageAsync(cancellationToken);
        }

        TempData["Flash"] = $"Village {Input.Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }

    private async Task<IActionResult> PageAsync(CancellationToken cancellationToken)
    {
        var choices = await places.MiniGridChoicesAsync(cancellationToken);
        var groups = choices.Select(c => c.Group!).Distinct().ToDictionary(name => name, name => new SelectListGroup { Name = name });
        MiniGrids = choices.Select(c => new SelectListItem(c.Name, c.Id.ToString()) { Group = groups[c.Group!] }).ToList();
        return Page();
    }
}
