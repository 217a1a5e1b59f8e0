using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Web.Settings;
using MPM.Web.Shell;

namespace MPM.Web.Pages;

/// <summary>The hub of the operator's catalog pages, and the operator settings (everyone reads them; admins change them).</summary>
public sealed class SettingsModel(OperatorSettingsStore store) : PageModel
{
    [BindProperty]
    public OperatorSettings Input { get; set; } = new(null, null, null);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Input = await store.GetAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Razor Pages ignore [Authorize] on handlers: reading is for everyone, changing for admins.
        if (!User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        var errors = await store.SaveAsync(Input, User.Identity?.Name ?? "?", cancellationToken);
        if (errors.Count > 0)
        {
            FormErrors.AddTo(ModelState, nameof(Input), errors);
            return Page();
        }

        TempData["Flash"] = "Operator settings saved.";
        return RedirectToPage();
    }
}
