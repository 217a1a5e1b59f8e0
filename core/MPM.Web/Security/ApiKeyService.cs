using System.Security.Cryptography;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Security;

/// <summary>What <see cref="ApiKeyService.RevokeAsync"/> did.</summary>
public enum ApiKeyRevocation
{
    Revoked,
    Unknown,
    AlreadyRevoked,
    Ambiguous,
}

/// <summary>
/// API keys for the REST API: shown once at creation, stored as a SHA-256 hash (<see cref="SecretTokens"/>). A key is
/// known afterwards only by its name and prefix (<c>mpm_1a2b3c4d_…</c>); revoking one takes effect on the next request,
/// which looks the key up afresh.
/// </summary>
public sealed class ApiKeyService(MpmDb db, TimeProvider clock, AuditLog audit)
{
    public async Task<string> CreateAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("an API key needs a name", nameof(name));
        }

        // The prefix names the key on the page, in the audit log and for `api-keys revoke`: keep it unique.
        string prefix;
        do
        {
            prefix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        }
        while (await db.ApiKeys.AnyAsync(k => k.KeyPrefix == prefix, cancellationToken));

        var key = $"mpm_{prefix}_{SecretTokens.Random(24)}";
        var record = new ApiKeyRecord { Name = name.Trim(), KeyPrefix = prefix, KeyHash = SecretTokens.Hash(key), CreatedAt = clock.GetUtcNow(), CreatedBy = actor };
        await db.InsertAsync(record, token: cancellationToken);
        await audit.WriteAsync(actor, "api-key.add", Describe(record), cancellationToken);
        return key;
    }

    public Task<ApiKeyRecord?> FindValidAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = SecretTokens.Hash(key);
        return db.ApiKeys.FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, cancellationToken);
    }

    /// <summary>Every key, newest first, active ones before revoked ones.</summary>
    public Task<List<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ApiKeys.OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(cancellationToken);

    /// <summary>Revokes the key with this prefix (<c>1a2b3c4d</c>, <c>mpm_1a2b3c4d</c> or <c>mpm_1a2b3c4d_…</c>).</summary>
    public async Task<(ApiKeyRevocation Result, ApiKeyRecord? Key)> RevokeAsync(string prefix, string actor, CancellationToken cancellationToken = default)
    {
        var bare = PrefixOf(prefix);
        if (bare.Length == 0)
        {
            return (ApiKeyRevocation.Unknown, null);
        }

        var matches = await db.ApiKeys.Where(k => k.KeyPrefix == bare).ToListAsync(cancellationToken);
        return matches.Count switch
        {
            0 => (ApiKeyRevocation.Unknown, null),
            > 1 => (ApiKeyRevocation.Ambiguous, null),
            _ => await RevokeAsync(matches[0], actor, cancellationToken),
        };
    }

    /// <summary>Revokes the key with this id.</summary>
    public async Task<(ApiKeyRevocation Result, ApiKeyRecord? Key)> RevokeAsync(long id, string actor, CancellationToken cancellationToken = default) =>
        await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) is { } key
            ? await RevokeAsync(key, actor, cancellationToken)
            : (ApiKeyRevocation.Unknown, null);

    /// <summary>How a key is named outside its creation: its name and prefix, never the key.</summary>
    public static string Describe(ApiKeyRecord key) => $"{key.Name} ({Display(key)})";

    /// <summary><c>mpm_1a2b3c4d_…</c>.</summary>
    public static string Display(ApiKeyRecord key) => $"mpm_{key.KeyPrefix}_…";

    private async Task<(ApiKeyRevocation, ApiKeyRecord?)> RevokeAsync(ApiKeyRecord key, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Only a key still active is revoked: two admins revoking at once get one revocation and one "already revoked".
        var updated = await db.ApiKeys.Where(k => k.Id == key.Id && k.RevokedAt == null)
            .Set(k => k.RevokedAt, now)
            .Set(k => k.RevokedBy, actor)
            .UpdateAsync(cancellationToken);
        if (updated == 0)
        {
            return (ApiKeyRevocation.AlreadyRevoked, key);
        }

        key.RevokedAt = now;
        key.RevokedBy = actor;
        await audit.WriteAsync(actor, "api-key.revoke", Describe(key), cancellationToken);
        return (ApiKeyRevocation.Revoked, key);
    }

    /// <summary>The bare prefix (<c>1a2b3c4d</c>) of what an operator typed to name a key.</summary>
    public static string PrefixOf(string prefix)
    {
        var text = prefix.Trim().TrimEnd('…', '.', '_');
        if (text.StartsWith("mpm_", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
        }

        // A whole key pasted by mistake still names its prefix; only the prefix is looked at.
        var underscore = text.IndexOf('_', StringComparison.Ordinal);
        return (underscore >= 0 ? text[..underscore] : text).ToLowerInvariant();
    }
}
