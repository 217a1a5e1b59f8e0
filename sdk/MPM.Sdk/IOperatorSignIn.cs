namespace MPM.Sdk;

/// <summary>
/// Bearer tokens for clients of plugin-owned APIs that sign in as an operator (e.g. a field app): issued by the
/// platform on email and password (failed attempts count towards the account's lockout), stored hashed, valid for
/// <see cref="Lifetime"/>, and void once revoked, or once the account is disabled or its role or password changes.
/// </summary>
public interface IOperatorSignIn
{
    TimeSpan Lifetime { get; }

    /// <param name="audience">The plugin's id: a token is only valid for the audience it was issued to.</param>
    /// <param name="roles">The roles allowed to sign in to this audience.</param>
    Task<SignInResult> SignInAsync(string audience, string email, string password, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default);

    /// <summary>The operator the token belongs to, or null when it is unknown, expired, revoked or for another audience.</summary>
    Task<SignedInOperator?> ValidateAsync(string audience, string token, CancellationToken cancellationToken = default);
}

/// <param name="Error">Why not, in words for the person signing in; null on success.</param>
public sealed record SignInResult(string? Token, DateTimeOffset? ExpiresAt, string? Error);

public sealed record SignedInOperator(long UserId, string Email, string Role);
