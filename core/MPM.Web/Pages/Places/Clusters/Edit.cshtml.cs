using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Web.Features.Places;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Places.Clusters;

[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(PlaceCatalog places) : PageModel
{
    [BindProperty]
    public ClusterInput Input { get; set; } = new(null, null, null, null, null);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var cluster = await places.ClusterAsync(id, cancellationToken);
            if (cluster is null)
            {
                return NotFound();
            }

            Input = cluster;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await places.SaveClusterAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return Page();
        }

        TempData["Flash"] = $"Cluster {Input.Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }
}
