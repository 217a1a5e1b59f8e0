using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Web.Jobs;

namespace MPM.Web.Plugins;

/// <summary>Collects what a plugin declares. Its services land in the host only if Configure finishes without error.</summary>
internal sealed class PluginBuilder(LoadedPlugin plugin, PluginManifest manifest, IConfiguration configuration) : IPluginBuilder
{
    public PluginManifest Manifest { get; } = manifest;

    public IServiceCollection Services { get; } = new ServiceCollection();

    public IConfiguration Configuration { get; } = configuration;

    public void MapEndpoints(Action<IEndpointRouteBuilder> map) => plugin.EndpointMaps.Add(map);

    public void AddSetting(PluginSetting setting)
    {
        if (plugin.Settings.Any(s => s.Key == setting.Key))
        {
            throw new PluginLoadException($"setting '{setting.Key}' is declared twice");
        }

        plugin.Settings.Add(setting);
    }

    public void AddJob<TJob>(string cron) where TJob : class, IScheduledJob
    {
        Services.AddTransient<TJob>();
        plugin.Jobs.Add(new JobSchedule(Manifest.Id, typeof(TJob), cron));
    }

    public void AddCliVerb<TVerb>(string name, string description, bool needsDatabase) where TVerb : class, ICliVerb
    {
        Services.AddTransient<TVerb>();
        plugin.CliVerbs.Add(new PluginCliVerb(Manifest.Id, name, description, typeof(TVerb), needsDatabase));
    }

    public void AddSidebarItem(SidebarItem item) => plugin.SidebarItems.Add(item);
}
