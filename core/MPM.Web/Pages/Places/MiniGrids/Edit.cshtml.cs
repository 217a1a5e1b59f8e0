using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using MPM.Core;
using MPM.Web.Features.Places;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Places.MiniGrids;

[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(PlaceCatalog places) : PageModel
{
    [BindProperty]
    public MiniGridInput Input { get; set; } = new(null, null, null, null);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public IReadOnlyList<SelectListItem> Clusters { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var miniGrid = await places.MiniGridAsync(id, cancellationToken);
            if (miniGrid is null)
            {
                return NotFound();
            }

            Input = miniGrid;
        }

        return await PageAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await PageAsync(cancellationToken);
        }

        var result = await places.SaveMiniGridAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return await PageAsync(cancellationToken);
        }

        TempData["Flash"] = $"Mini-grid {Input.Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }

    private async Task<IActionResult> PageAsync(CancellationToken cancellationToken)
    {
        Clusters = (await places.ClusterChoicesAsync(cancellationToken)).Select(c => new SelectListItem(c.Name, c.Id.ToString())).ToList();
        return Page();
    }
}
