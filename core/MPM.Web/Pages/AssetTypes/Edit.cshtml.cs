using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Web.Features.Catalog;
using MPM.Web.Shell;

namespace MPM.Web.Pages.AssetTypes;

[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(AssetTypeCatalog assetTypes) : PageModel
{
    [BindProperty]
    public AssetTypeInput Input { get; set; } = new(null, null);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var assetType = await assetTypes.GetAsync(id, cancellationToken);
            if (assetType is null)
            {
                return NotFound();
            }

            Input = assetType;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await assetTypes.SaveAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return Page();
        }

        TempData["Flash"] = $"Asset type {Input.Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }
}
