using MPM.Sdk;
using MPM.Web.Demo;
using MPM.Web.Plugins;

namespace MPM.Web.Cli;

/// <summary>The verbs the host knows: its own and those plugins add.</summary>
public sealed record VerbInfo(string Name, string Description, Type Type, bool NeedsDatabase);

public static class CliRunner
{
    public static IReadOnlyList<VerbInfo> BuiltIn { get; } =
    [
        new("migrate", "Applies pending database migrations", typeof(MigrateVerb), true),
        new("users", "users add --email E --password P --role admin|manager|viewer | users list", typeof(UsersVerb), true),
        new("api-keys", "api-keys add --name N | api-keys list | api-keys revoke --prefix P", typeof(ApiKeysVerb), true),
        new("plugins", "plugins list: id, version, kinds, status", typeof(PluginsVerb), false),
        new("demo", DemoVerb.Usage, typeof(DemoVerb), true),
        new("backup", BackupVerb.Usage, typeof(BackupVerb), true),
        new("restore", RestoreVerb.Usage, typeof(RestoreVerb), true),
        new("reports", MPM.Web.Features.Reports.ReportsVerb.Usage, typeof(MPM.Web.Features.Reports.ReportsVerb), true),
    ];

    public static void Register(IServiceCollection services)
    {
        foreach (var verb in BuiltIn)
        {
            services.AddTransient(verb.Type);
        }
    }

    /// <summary>Runs a verb; the database is started (and migrated) only for verbs that need it.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string name, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var verbs = BuiltIn.Concat(services.GetRequiredService<PluginHost>().CliVerbs.Select(v => new VerbInfo(v.Name, v.Description, v.VerbType, v.NeedsDatabase))).ToList();
        var verb = verbs.FirstOrDefault(v => v.Name == name);
        if (verb is null)
        {
            error.WriteLine($"unknown verb '{name}'. Verbs:");
            verbs.ForEach(v => error.WriteLine($"  {v.Name,-10} {v.Description}"));
            return 2;
        }

        try
        {
            if (verb.NeedsDatabase)
            {
                await services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
            }

            await using var scope = services.CreateAsyncScope();
            var instance = (ICliVerb)scope.ServiceProvider.GetRequiredService(verb.Type);
            return await instance.RunAsync(args, output, error, CancellationToken.None);
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"{name}: {e.Message}");
            return 2;
        }
        catch (MPM.Data.Postgres.EmbeddedPostgresException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }
}
