using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Pages.ApiKeys;

/// <summary>
/// REST API keys for admins: the list (name, prefix, who made and revoked each, when), creating one — its full key is
/// on the response to the create form only, never stored, logged or shown again — and revoking one.
/// </summary>
public sealed class IndexModel(ApiKeyService keys) : PageModel
{
    public IReadOnlyList<ApiKeyRecord> Keys { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The key just created: set only on the response to the create form.</summary>
    public string? CreatedKey { get; private set; }

    public string? CreatedName { get; private set; }

    public async Task OnGetAsync(string? message, CancellationToken cancellationToken)
    {
        Message = message;
        Keys = await keys.ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return await ShowAsync(error: "A key needs a name (who or what will use it).", cancellationToken);
        }

        if (name.Trim().Length > 100)
        {
            return await ShowAsync(error: "A key's name has at most 100 characters.", cancellationToken);
        }

        CreatedName = name.Trim();
        CreatedKey = await keys.CreateAsync(CreatedName, Actor, cancellationToken);
        // The one response that carries the key: no cache may keep it, and the browser's back button cannot show it again.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        return await ShowAsync(error: null, cancellationToken);
    }

    public async Task<IActionResult> OnPostRevokeAsync(long? id, CancellationToken cancellationToken)
    {
        var (result, key) = id is { } keyId ? await keys.RevokeAsync(keyId, Actor, cancellationToken) : (ApiKeyRevocation.Unknown, null);
        return result switch
        {
            ApiKeyRevocation.Revoked => RedirectToPage(new { message = $"API key {ApiKeyService.Describe(key!)} revoked." }),
            ApiKeyRevocation.AlreadyRevoked => await ShowAsync($"API key {ApiKeyService.Describe(key!)} was already revoked.", cancellationToken),
            _ => await ShowAsync("No such API key.", cancellationToken),
        };
    }

    private string Actor => User.Identity?.Name ?? "?";

    private async Task<IActionResult> ShowAsync(string? error, CancellationToken cancellationToken)
    {
        Error = error;
        Keys = await keys.ListAsync(cancellationToken);
        return Page();
    }
}
