using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Security;

namespace MPM.Web.Pages.Account;

public sealed class LoginModel(UserService users, LoginThrottle throttle, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? ErrorMessage { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (throttle.RetryAfter(Input.Email) is { } retryAfter)
        {
            logger.LogWarning("Login throttled: too many attempts for {Email} this minute", Input.Email);
            await RateLimits.TooManyAsync(HttpContext, retryAfter);
            return new EmptyResult();
        }

        var result = await users.LoginAsync(Input.Email, Input.Password, cancellationToken);
        if (result.Outcome != LoginOutcome.Success)
        {
            ErrorMessage = result.Outcome == LoginOutcome.LockedOut
                ? "This account is locked after too many failed attempts. Try again later."
                : "Wrong email or password.";
            return Page();
        }

        var user = result.User!;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.Role, user.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    public sealed class LoginInput
    {
        [Required, EmailAddress]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }
}
