using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Web.Features.Catalog;
using MPM.Web.Shell;

namespace MPM.Web.Pages.MeterTypes;

[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(MeterTypeCatalog meterTypes) : PageModel
{
    [BindProperty]
    public MeterTypeInput Input { get; set; } = new(null, 1, null, false);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var meterType = await meterTypes.GetAsync(id, cancellationToken);
            if (meterType is null)
            {
                return NotFound();
            }

            Input = meterType;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await meterTypes.SaveAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return Page();
        }

        TempData["Flash"] = $"Meter type {Input.Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }
}
