using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Sms;
using MPM.Web.Security;

namespace MPM.Web.Pages.Sms;

/// <summary>
/// The SMS templates with the placeholders each may use; managers and admins edit them. A text with a problem is shown
/// back with every problem and nothing is saved.
/// </summary>
[ChangesRequireManagerOrAdmin]
public sealed class TemplatesModel(SmsTemplateCatalog catalog) : PageModel
{
    public IReadOnlyList<SmsTemplateRow> Templates { get; private set; } = [];

    /// <summary>The template whose edit was refused, with the text as typed and the problems.</summary>
    public string? RefusedKey { get; private set; }

    public string? RefusedBody { get; private set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public bool MayChange => ChangesRequireManagerOrAdminAttribute.MayChange(User);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Templates = await catalog.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? key, string? body, CancellationToken cancellationToken)
    {
        var problems = key is null ? null : await catalog.SaveAsync(key, body, User.Identity?.Name ?? "?", cancellationToken);
        if (problems is null)
        {
            return NotFound();
        }

        if (problems.Count > 0)
        {
            (RefusedKey, RefusedBody, Problems) = (key, body, problems);
            Templates = await catalog.ListAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        TempData["Flash"] = $"Template {key} saved.";
        return RedirectToPage();
    }
}
