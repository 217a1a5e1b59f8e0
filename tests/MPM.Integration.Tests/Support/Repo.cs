using System.Reflection;

namespace MPM.Integration.Tests.Support;

/// <summary>The repository and the build this test run belongs to.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in (the host DLL is built alongside).</summary>
    public static string Configuration { get; } =
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("the test assembly has no AssemblyConfiguration attribute");

    /// <summary>The built host, with its plugins.json and plugins/ folder next to it.</summary>
    public static string HostDll
    {
        get
        {
            var dll = Path.Combine(Root, "core", "MPM.Web", "bin", Configuration, "net10.0", "MPM.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"the host is not built at {dll}", dll);
        }
    }

    /// <summary>The fixture plugins and the shipped ones, copied here by the build.</summary>
    public static string PluginRoot => Path.Combine(AppContext.BaseDirectory, "plugins");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MPM.Platform.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"MPM.Platform.sln not found above {AppContext.BaseDirectory}");
    }
}
