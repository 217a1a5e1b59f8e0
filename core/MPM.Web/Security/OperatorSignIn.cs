using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk;

namespace MPM.Web.Security;

/// <summary>
/// Bearer tokens for plugin-owned APIs: 32 random bytes, only their SHA-256 kept, one audience (the plugin) each.
/// A token dies when it expires, when it is revoked, and with every change of its account's role, password or state.
/// </summary>
public sealed class OperatorSignIn(MpmDb db, UserService users, AuditLog audit, TimeProvider clock, ILogger<OperatorSignIn> logger) : IOperatorSignIn
{
    /// <summary>A day in the field and the evening before, with room to spare.</summary>
    public TimeSpan Lifetime => TimeSpan.FromDays(3);

    public async Task<SignInResult> SignInAsync(string audience, string email, string password, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        var login = await users.LoginAsync(email, password, cancellationToken);
        if (login.Outcome == LoginOutcome.LockedOut)
        {
            return new SignInResult(null, null, "too many failed sign-ins: the account is locked for a while");
        }

        if (login is not { Outcome: LoginOutcome.Success, User: { } user })
        {
            return new SignInResult(null, null, "wrong email or password");
        }

        if (!roles.Contains(user.Role))
        {
            logger.LogWarning("Sign-in to {Audience} refused for {Email}: role {Role} is not one of {Roles}", audience, user.Email, user.Role, string.Join(", ", roles));
            return new SignInResult(null, null, $"the {user.Role} role may not sign in here");
        }

        var token = SecretTokens.Random(32);
        var now = clock.GetUtcNow();
        await db.InsertAsync(new BearerTokenRecord { UserId = user.Id, Audience = audience, TokenHash = SecretTokens.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime }, token: cancellationToken);
        await audit.WriteAsync(user.Email, "token.issue", $"bearer token for {audience}, valid until {now + Lifetime:u}", cancellationToken);
        return new SignInResult(token, now + Lifetime, null);
    }

    public async Task<SignedInOperator?> ValidateAsync(string audience, string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow();
        return await (
            from t in db.BearerTokens
            join u in db.Users on t.UserId equals u.Id
            where t.TokenHash == hash && t.Audience == audience && t.RevokedAt == null && t.ExpiresAt > now && !u.Disabled
            select new SignedInOperator(u.Id, u.Email, u.Role)).FirstOrDefaultAsync(cancellationToken);
    }

    public static Task RevokeAllAsync(MpmDb db, long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.BearerTokens.Where(t => t.UserId == userId && t.RevokedAt == null).Set(t => t.RevokedAt, now).UpdateAsync(cancellationToken);
}
