using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Maintenance;
using MPM.Web.Security;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Maintenance;

/// <summary>Contractors: external people who do maintenance jobs, reached by SMS.</summary>
[ChangesRequireManagerOrAdmin]
public sealed class ContractorsModel(MaintenanceDesk desk) : PageModel
{
    public sealed class Form
    {
        public string? Name { get; set; }

        public string? Phone { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public IReadOnlyList<ContractorRow> Contractors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Contractors = await desk.ContractorsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await desk.AddContractorAsync(new ContractorInput(Input.Name, Input.Phone), User.Identity?.Name ?? "?", cancellationToken);
        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, nameof(Input), result.Errors);
            Contractors = await desk.ContractorsAsync(cancellationToken);
            return Page();
        }

        TempData["Flash"] = $"Contractor {Input.Name!.Trim()} added.";
        return RedirectToPage();
    }
}
