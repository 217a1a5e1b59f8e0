using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Web.Features.Catalog;
using MPM.Web.Settings;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Tariffs;

[Authorize(Roles = Roles.ManagerOrAdmin)]
public sealed class EditModel(TariffCatalog tariffs, OperatorSettingsStore settings) : PageModel
{
    [BindProperty]
    public TariffInput Input { get; set; } = new(null, null, [], null, null);

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public string? Currency { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var tariff = await tariffs.GetAsync(id, cancellationToken);
            if (tariff is null)
            {
                return NotFound();
            }

            Input = tariff;
        }

        return await PageAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await PageAsync(cancellationToken);
        }

        var result = await tariffs.SaveAsync(Id, Input, User.Identity?.Name ?? "?", cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            return await PageAsync(cancellationToken);
        }

        TempData["Flash"] = $"Tariff {Input.Name!.Trim()} saved.";
        return RedirectToPage("./Index");
    }

    private async Task<IActionResult> PageAsync(CancellationToken cancellationToken)
    {
        Currency = (await settings.GetAsync(cancellationToken)).Currency;
        return Page();
    }
}
