using System.Security.Cryptography;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Security;

/// <summary>API keys for the REST API: shown once at creation, stored as a SHA-256 hash (<see cref="SecretTokens"/>).</summary>
public sealed class ApiKeyService(MpmDb db, TimeProvider clock, AuditLog audit)
{
    public async Task<string> CreateAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("an API key needs a name", nameof(name));
        }

        var prefix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var key = $"mpm_{prefix}_{SecretTokens.Random(24)}";
        await db.InsertAsync(new ApiKeyRecord { Name = name.Trim(), KeyPrefix = prefix, KeyHash = SecretTokens.Hash(key), CreatedAt = clock.GetUtcNow() }, token: cancellationToken);
        await audit.WriteAsync(actor, "api-key.add", $"{name.Trim()} (mpm_{prefix}_…)", cancellationToken);
        return key;
    }

    public Task<ApiKeyRecord?> FindValidAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = SecretTokens.Hash(key);
        return db.ApiKeys.FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, cancellationToken);
    }
}
