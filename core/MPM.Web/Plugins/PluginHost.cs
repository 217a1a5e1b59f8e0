using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using MPM.Sdk;
using MPM.Web.Security;

namespace MPM.Web.Plugins;

/// <summary>
/// Loads the plugins plugins.json lists, once, at start-up. A plugin that cannot load is marked failed with the reason
/// and the host runs on without it. Plugins share the SDK and ASP.NET Core with the host so that their types unify.
/// </summary>
public sealed class PluginHost
{
    private static readonly Type[] SharedTypes =
    [
        typeof(IPlugin), typeof(IServiceCollection), typeof(IEndpointRouteBuilder), typeof(PageModel),
        typeof(ILogger), typeof(IConfiguration),
    ];

    private PluginHost(IReadOnlyList<LoadedPlugin> plugins) => Plugins = plugins;

    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    public IEnumerable<LoadedPlugin> Active => Plugins.Where(p => p.Status == PluginStatus.Active);

    /// <summary>Where plugins.json and the plugin folders are: configurable for tests and deployments.</summary>
    public static (string File, string Root) Locate(IConfiguration configuration) =>
        (configuration["Plugins:File"] ?? Path.Combine(AppContext.BaseDirectory, "plugins.json"),
         configuration["Plugins:Root"] ?? Path.Combine(AppContext.BaseDirectory, "plugins"));

    public static PluginHost Load(IConfiguration configuration, IServiceCollection services, ILogger logger)
    {
        var (file, root) = Locate(configuration);
        var plugins = new List<LoadedPlugin>();
        foreach (var entry in PluginsFile.Read(file))
        {
            var plugin = new LoadedPlugin(entry, Path.Combine(root, entry.Path));
            plugins.Add(plugin);
            if (!entry.Enabled)
            {
                plugin.Disable();
                continue;
            }

            try
            {
                if (plugins.Count(p => p.Entry.Id == entry.Id) > 1)
                {
                    throw new PluginLoadException($"plugin id '{entry.Id}' is listed twice in plugins.json");
                }

                LoadOne(plugin, configuration, services);
                logger.LogInformation("Plugin {Id} {Version} loaded from {Folder}", plugin.Id, plugin.Manifest!.Version, plugin.Folder);
            }
            catch (Exception e)
            {
                var reason = e is PluginLoadException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                plugin.Fail(reason);
                logger.LogError("Plugin {Id} failed to load: {Reason}", entry.Id, reason);
            }
        }

        return new PluginHost(plugins);
    }

    private static void LoadOne(LoadedPlugin plugin, IConfiguration configuration, IServiceCollection services)
    {
        if (PluginsFile.PathProblem(plugin.Entry.Path) is { } problem)
        {
            throw new PluginLoadException(problem);
        }

        if (!Directory.Exists(plugin.Folder))
        {
            throw new PluginLoadException($"plugin folder not found: {plugin.Folder}");
        }

        var manifest = PluginManifestReader.Read(Path.Combine(plugin.Folder, "plugin.json"));
        plugin.Manifest = manifest;
        if (manifest.Id != plugin.Entry.Id)
        {
            throw new PluginLoadException($"plugins.json lists id '{plugin.Entry.Id}' but plugin.json says '{manifest.Id}'");
        }

        if (manifest.Sdk != SdkInfo.Major)
        {
            throw new PluginLoadException($"plugin targets SDK {manifest.Sdk}; this host supports SDK {SdkInfo.Major}");
        }

        var assemblyFile = Path.Combine(plugin.Folder, manifest.Assembly);
        if (!File.Exists(assemblyFile))
        {
            throw new PluginLoadException($"assembly {manifest.Assembly} not found in {plugin.Folder}");
        }

        var loader = PluginLoader.CreateFromAssemblyFile(assemblyFile, SharedTypes, config => config.PreferSharedTypes = true);
        var assembly = loader.LoadDefaultAssembly();
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
            throw new PluginLoadException($"types could not be loaded (an incompatible shared library?): {first}");
        }

        var entryTypes = types.Where(t => typeof(IPlugin).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }).ToList();
        if (entryTypes.Count != 1)
        {
            throw new PluginLoadException(entryTypes.Count == 0
                ? $"no public class implementing {nameof(IPlugin)} of SDK {SdkInfo.Major} found in {manifest.Assembly} (a stray copy of MPM.Sdk.dll in its folder?)"
                : $"more than one {nameof(IPlugin)} implementation in {manifest.Assembly}");
        }

        var entryPoint = (IPlugin)Activator.CreateInstance(entryTypes[0])!;
        var settings = plugin.Entry.Settings is { } json
            ? new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.GetRawText()))).Build()
            : new ConfigurationBuilder().Build();
        var builder = new PluginBuilder(plugin, manifest, settings);
        try
        {
            entryPoint.Configure(builder);
        }
        catch (Exception e)
        {
            throw new PluginLoadException($"Configure threw {e.GetType().Name}: {e.Message}");
        }

        foreach (var service in builder.Services)
        {
            services.Add(service);
        }

        plugin.Assembly = assembly;
    }

    /// <summary>Adds the active plugins' compiled Razor pages and controllers (must happen before endpoints are mapped).</summary>
    public void AddApplicationParts(ApplicationPartManager partManager)
    {
        foreach (var plugin in Active)
        {
            var factory = ApplicationPartFactory.GetApplicationPartFactory(plugin.Assembly!);
            foreach (var part in factory.GetApplicationParts(plugin.Assembly!))
            {
                partManager.ApplicationParts.Add(part);
            }
        }
    }

    /// <summary>Serves each active plugin's wwwroot at /plugins/{id}/.</summary>
    public void UseStaticFiles(IApplicationBuilder app)
    {
        foreach (var plugin in Active)
        {
            var wwwroot = Path.Combine(plugin.Folder, "wwwroot");
            if (Directory.Exists(wwwroot))
            {
                app.UseStaticFiles(new StaticFileOptions { RequestPath = $"/plugins/{plugin.Id}", FileProvider = new PhysicalFileProvider(wwwroot) });
            }
        }
    }

    /// <summary>
    /// Maps each active plugin's endpoints under /plugins/{id}/. A plugin whose mapping throws is marked failed. The group
    /// carries the host's body limit for plugin endpoints (<see cref="BodyLimits"/>); an endpoint's own
    /// <c>RequestSizeLimitAttribute</c> or <c>DisableRequestSizeLimit()</c> comes after it and wins.
    /// </summary>
    public void MapEndpoints(IEndpointRouteBuilder endpoints, ILogger logger)
    {
        var bodyLimit = new RequestSizeLimitAttribute(endpoints.ServiceProvider.GetRequiredService<BodyLimits.Settings>().PluginBytes);
        foreach (var plugin in Active.ToList())
        {
            var group = endpoints.MapGroup($"/plugins/{plugin.Id}").WithTags(plugin.Id).WithMetadata(bodyLimit);
            try
            {
                plugin.EndpointMaps.ForEach(map => map(group));
            }
            catch (Exception e)
            {
                plugin.Fail($"mapping endpoints threw {e.GetType().Name}: {e.Message}");
                logger.LogError("Plugin {Id} failed to map its endpoints: {Reason}", plugin.Id, plugin.FailureReason);
            }
        }
    }

    public IEnumerable<PluginCliVerb> CliVerbs => Active.SelectMany(p => p.CliVerbs);

    public IEnumerable<SidebarItem> SidebarItems => Active.SelectMany(p => p.SidebarItems);

    public LoadedPlugin? Find(string id) => Plugins.FirstOrDefault(p => p.Id == id);
}
