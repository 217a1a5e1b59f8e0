using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MPM.Sdk;

/// <summary>What a plugin may contribute to the host. Handed to <see cref="IPlugin.Configure"/>.</summary>
public interface IPluginBuilder
{
    PluginManifest Manifest { get; }

    /// <summary>The host's service collection. Role implementations are registered keyed by the plugin id,
    /// e.g. <c>Services.AddKeyedScoped&lt;ITokenGenerator, MyGenerator&gt;(Manifest.Id)</c>.</summary>
    IServiceCollection Services { get; }

    /// <summary>The plugin's non-secret settings from plugins.json ("settings" of its entry).</summary>
    IConfiguration Configuration { get; }

    /// <summary>Maps HTTP endpoints; routes are relative to <c>/plugins/{id}/</c>.</summary>
    void MapEndpoints(Action<IEndpointRouteBuilder> map);

    /// <summary>Declares a setting; the host renders a form for it and stores it (secrets encrypted).</summary>
    void AddSetting(PluginSetting setting);

    /// <summary>Runs <typeparamref name="TJob"/> on a cron schedule (5 fields, UTC), once across all hosts.</summary>
    void AddJob<TJob>(string cron) where TJob : class, IScheduledJob;

    /// <summary>Adds a CLI verb: <c>dotnet run --project core/MPM.Web -- {name} ...</c>.</summary>
    void AddCliVerb<TVerb>(string name, string description, bool needsDatabase) where TVerb : class, ICliVerb;

    /// <summary>Adds an entry to the operator sidebar.</summary>
    void AddSidebarItem(SidebarItem item);
}
