using MPM.Core;
using MPM.Sdk;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Cli;

/// <summary><c>migrate</c>: applies pending migrations (the runner does the work before the verb runs).</summary>
public sealed class MigrateVerb(DatabaseStartup startup) : ICliVerb
{
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        CliArgs.Parse(args);
        output.WriteLine($"{startup.AppliedMigrations} migration(s) applied; the database is up to date.");
        return Task.FromResult(0);
    }
}

/// <summary><c>users add --email E --password P --role admin|manager|viewer</c>, <c>users list</c>.</summary>
public sealed class UsersVerb(UserService users) : ICliVerb
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        switch (args.FirstOrDefault())
        {
            case "add":
                var parsed = CliArgs.Parse(args.Skip(1).ToList(), "--email", "--password", "--role");
                var (user, errors) = await users.AddAsync(parsed.Required("--email"), parsed.Required("--password"), parsed.Required("--role"), "cli", cancellationToken);
                if (user is null)
                {
                    throw new CliUsageException(string.Join("; ", errors));
                }

                output.WriteLine($"User {user.Email} added with role {user.Role}.");
                return 0;
            case "list":
                CliArgs.Parse(args.Skip(1).ToList());
                foreach (var u in await users.ListAsync(cancellationToken))
                {
                    output.WriteLine($"{u.Email}\t{u.Role}{(u.Disabled ? "\tdisabled" : "")}");
                }

                return 0;
            default:
                throw new CliUsageException($"usage: users add --email E --password P --role {string.Join("|", Roles.All)} | users list");
        }
    }
}

/// <summary>
/// <c>api-keys add --name N</c> (prints the new key alone on the last line; it is shown only once),
/// <c>api-keys list</c>, <c>api-keys revoke --prefix P</c>.
/// </summary>
public sealed class ApiKeysVerb(ApiKeyService keys) : ICliVerb
{
    private const string Usage = "usage: api-keys add --name N | api-keys list | api-keys revoke --prefix P";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        switch (args.FirstOrDefault())
        {
            case "add":
                var name = CliArgs.Parse(args.Skip(1).ToList(), "--name").Required("--name");
                var key = await keys.CreateAsync(name, "cli", cancellationToken);
                output.WriteLine($"API key '{name}' created. Keep it now; it cannot be shown again:");
                output.WriteLine(key);
                return 0;
            case "list":
                CliArgs.Parse(args.Skip(1).ToList());
                output.WriteLine("prefix\tname\tcreated\tcreated by\tstatus");
                foreach (var k in await keys.ListAsync(cancellationToken))
                {
                    var status = k.RevokedAt is { } revokedAt ? $"revoked {revokedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {k.RevokedBy ?? "?"}" : "active";
                    output.WriteLine($"{ApiKeyService.Display(k)}\t{k.Name}\t{k.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\t{k.CreatedBy ?? "?"}\t{status}");
                }

                return 0;
            case "revoke":
                var prefix = CliArgs.Parse(args.Skip(1).ToList(), "--prefix").Required("--prefix");
                var (result, revoked) = await keys.RevokeAsync(prefix, "cli", cancellationToken);
                switch (result)
                {
                    case ApiKeyRevocation.Revoked:
                        output.WriteLine($"API key {ApiKeyService.Describe(revoked!)} revoked; it is refused from the next request on.");
                        return 0;
                    case ApiKeyRevocation.AlreadyRevoked:
                        error.WriteLine($"API key {ApiKeyService.Describe(revoked!)} was already revoked on {revoked!.RevokedAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC; nothing changed.");
                        return 1;
                    case ApiKeyRevocation.Ambiguous:
                        error.WriteLine("More than one API key has that prefix; revoke it on the API keys page. Nothing changed.");
                        return 1;
                    default:
                        error.WriteLine($"No API key has the prefix mpm_{ApiKeyService.PrefixOf(prefix)}_… (see `api-keys list`); nothing changed.");
                        return 1;
                }

            default:
                throw new CliUsageException(Usage);
        }
    }
}

/// <summary><c>plugins list</c>: id, version, kinds, status (and the failure reason).</summary>
public sealed class PluginsVerb(PluginHost host) : ICliVerb
{
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.FirstOrDefault() != "list")
        {
            throw new CliUsageException("usage: plugins list");
        }

        CliArgs.Parse(args.Skip(1).ToList());
        output.WriteLine("id\tversion\tkinds\tstatus");
        foreach (var plugin in host.Plugins)
        {
            var kinds = plugin.Manifest is null ? "-" : string.Join(",", plugin.Manifest.Kinds);
            var status = plugin.Status.ToString().ToLowerInvariant() + (plugin.FailureReason is null || plugin.Status == PluginStatus.Active ? "" : $" ({plugin.FailureReason})");
            output.WriteLine($"{plugin.Id}\t{plugin.Manifest?.Version ?? "-"}\t{kinds}\t{status}");
        }

        return Task.FromResult(0);
    }
}
