using System.Net.Mail;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Identity;
using MPM.Core;
using MPM.Data;

namespace MPM.Web.Security;

public enum LoginOutcome
{
    Success,
    WrongCredentials,
    LockedOut,
}

public sealed record LoginResult(LoginOutcome Outcome, UserRecord? User);

/// <summary>Operator accounts: hashed passwords, roles, lockout after repeated failures.</summary>
public sealed class UserService(MpmDb db, TimeProvider clock, AuditLog audit, ILogger<UserService> logger)
{
    public const int MaxFailedLogins = 5;
    public const int MinPasswordLength = 8;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    /// <summary>Creates an operator; returns the problems instead when the input is not acceptable.</summary>
    public async Task<(UserRecord? User, IReadOnlyList<string> Errors)> AddAsync(string email, string password, string role, string actor, CancellationToken cancellationToken = default)
    {
        var errors = Validate(email, password, role);
        if (errors.Count == 0 && await FindAsync(email, cancellationToken) is not null)
        {
            errors = [$"a user with email {email} already exists"];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var user = new UserRecord { Email = email.Trim(), Role = role, CreatedAt = clock.GetUtcNow() };
        user.PasswordHash = Hasher.HashPassword(user, password);
        user.Id = await db.InsertWithInt64IdentityAsync(user, token: cancellationToken);
        await audit.WriteAsync(actor, "user.add", $"{user.Email} as {role}", cancellationToken);
        return (user, []);
    }

    public static List<string> Validate(string email, string? password, string role)
    {
        var errors = new List<string>();
        if (!MailAddress.TryCreate(email?.Trim() ?? "", out var parsed) || parsed.Address != email?.Trim())
        {
            errors.Add($"'{email}' is not a valid email address");
        }

        if (password is not null && password.Length < MinPasswordLength)
        {
            errors.Add($"the password must have at least {MinPasswordLength} characters");
        }

        if (!Roles.IsValid(role))
        {
            errors.Add($"role must be one of {string.Join(", ", Roles.All)}");
        }

        return errors;
    }

    public Task<UserRecord?> FindAsync(string email, CancellationToken cancellationToken = default) =>
        db.Users.FirstOrDefaultAsync(u => u.Email.ToLower() == email.Trim().ToLower(), cancellationToken);

    public Task<List<UserRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        db.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken);

    public async Task<LoginResult> LoginAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(email, cancellationToken);
        var now = clock.GetUtcNow();
        if (user is null || user.Disabled)
        {
            // Hash anyway so an unknown email takes as long as a wrong password.
            Hasher.HashPassword(new UserRecord(), password);
            logger.LogWarning("Failed login for unknown or disabled account {Email}", email);
            return new LoginResult(LoginOutcome.WrongCredentials, null);
        }

        if (user.LockedUntil > now)
        {
            logger.LogWarning("Login refused for locked account {Email} until {Until}", user.Email, user.LockedUntil);
            return new LoginResult(LoginOutcome.LockedOut, null);
        }

        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedLogins + 1;
            DateTimeOffset? lockedUntil = failures >= MaxFailedLogins ? now + LockoutDuration : null;
            await db.Users.Where(u => u.Id == user.Id)
                .Set(u => u.FailedLogins, failures >= MaxFailedLogins ? 0 : failures)
                .Set(u => u.LockedUntil, lockedUntil)
                .UpdateAsync(cancellationToken);
            logger.LogWarning("Failed login for {Email} ({Failures} in a row)", user.Email, failures);
            if (lockedUntil is not null)
            {
                logger.LogWarning("Account {Email} locked until {Until} after {Failures} failed logins", user.Email, lockedUntil, failures);
                await audit.WriteAsync(user.Email, "user.locked", $"locked until {lockedUntil:u} after {failures} failed logins", cancellationToken);
                return new LoginResult(LoginOutcome.LockedOut, null);
            }

            return new LoginResult(LoginOutcome.WrongCredentials, null);
        }

        await db.Users.Where(u => u.Id == user.Id).Set(u => u.FailedLogins, 0).Set(u => u.LockedUntil, (DateTimeOffset?)null).UpdateAsync(cancellationToken);
        return new LoginResult(LoginOutcome.Success, user);
    }

    public async Task<IReadOnlyList<string>> UpdateAsync(long id, string role, bool disabled, string? newPassword, string actor, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return ["user not found"];
        }

        var errors = Validate(user.Email, string.IsNullOrEmpty(newPassword) ? null : newPassword, role);
        if (errors.Count > 0)
        {
            return errors;
        }

        var update = db.Users.Where(u => u.Id == id).Set(u => u.Role, role).Set(u => u.Disabled, disabled);
        if (!string.IsNullOrEmpty(newPassword))
        {
            update = update.Set(u => u.PasswordHash, Hasher.HashPassword(user, newPassword)).Set(u => u.LockedUntil, (DateTimeOffset?)null).Set(u => u.FailedLogins, 0);
        }

        await update.UpdateAsync(cancellationToken);
        if (role != user.Role || disabled || !string.IsNullOrEmpty(newPassword))
        {
            await OperatorSignIn.RevokeAllAsync(db, id, clock.GetUtcNow(), cancellationToken);
        }

        await audit.WriteAsync(actor, "user.update", $"{user.Email}: role {role}, {(disabled ? "disabled" : "enabled")}{(string.IsNullOrEmpty(newPassword) ? "" : ", password reset")}", cancellationToken);
        return [];
    }

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => db.Users.AnyAsync(cancellationToken);
}
