using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Pages.Users;

public sealed class IndexModel(UserService users, TimeProvider clock) : PageModel
{
    public IReadOnlyList<UserRecord> Users { get; private set; } = [];

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGetAsync(string? message, CancellationToken cancellationToken)
    {
        Message = message;
        Users = await users.ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(string email, string password, string role, CancellationToken cancellationToken)
    {
        var (user, errors) = await users.AddAsync(email ?? "", password ?? "", role ?? "", Actor, cancellationToken);
        return user is null ? await ShowErrorsAsync(errors, cancellationToken) : RedirectToPage(new { message = $"User {user.Email} added." });
    }

    public async Task<IActionResult> OnPostUpdateAsync(long id, string role, bool disabled, string? password, CancellationToken cancellationToken)
    {
        var errors = await users.UpdateAsync(id, role ?? "", disabled, password, Actor, cancellationToken);
        return errors.Count > 0 ? await ShowErrorsAsync(errors, cancellationToken) : RedirectToPage(new { message = "User updated." });
    }

    private string Actor => User.Identity?.Name ?? "?";

    private async Task<IActionResult> ShowErrorsAsync(IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        Errors = errors;
        Users = await users.ListAsync(cancellationToken);
        return Page();
    }
}
