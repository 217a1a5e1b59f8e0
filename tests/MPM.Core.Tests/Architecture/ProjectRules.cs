using System.Reflection;
using System.Xml.Linq;

namespace MPM.Core.Tests.Architecture;

/// <summary>One MSBuild file of the repository: its path relative to the repository root (with '/') and its XML.</summary>
public sealed record ProjectFile(string RelativePath, XDocument Xml)
{
    public static ProjectFile Parse(string relativePath, string xml) => new(relativePath.Replace('\\', '/'), XDocument.Parse(xml));

    public string Folder => RelativePath.Contains('/') ? RelativePath[..RelativePath.LastIndexOf('/')] : "";

    public IEnumerable<XElement> Items(string name) => Xml.Descendants().Where(e => e.Name.LocalName == name);

    public static string? Metadata(XElement item, string name) =>
        item.Attribute(name)?.Value ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>
    /// Where a ProjectReference's Include points, relative to the repository root; null when it cannot be resolved
    /// (an MSBuild property other than the file's own directory, or a path above the root).
    /// </summary>
    public string? Resolve(string include)
    {
        var path = include.Replace('\\', '/');
        foreach (var own in new[] { "$(MSBuildThisFileDirectory)", "$(MSBuildProjectDirectory)/", "$(MSBuildProjectDirectory)" })
        {
            path = path.Replace(own, "", StringComparison.OrdinalIgnoreCase);
        }

        if (path.Contains("$(", StringComparison.Ordinal) || path.StartsWith('/'))
        {
            return null;
        }

        var parts = new List<string>(Folder.Length == 0 ? [] : Folder.Split('/'));
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}

/// <summary>The repository's architecture rules as checks that return what breaks them (empty: the rule holds).</summary>
public static class ProjectRules
{
    public static readonly string[] ForbiddenInSdk = ["Autofac", "linq2db", "Npgsql", "Coravel", "McMaster"];

    /// <summary>The SDK references none of the host's libraries and no project outside sdk/.</summary>
    public static IEnumerable<string> SdkIsSelfContained(ProjectFile file)
    {
        foreach (var package in file.Items("PackageReference"))
        {
            var name = package.Attribute("Include")?.Value ?? package.Attribute("Update")?.Value ?? "";
            if (ForbiddenInSdk.Any(f => name.Equals(f, StringComparison.OrdinalIgnoreCase) || name.StartsWith(f + ".", StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"{file.RelativePath}: references package {name}";
            }
        }

        foreach (var reference in file.Items("ProjectReference"))
        {
            var include = reference.Attribute("Include")?.Value ?? "";
            var target = file.Resolve(include);
            if (target is null || !target.StartsWith("sdk/", StringComparison.Ordinal))
            {
                yield return $"{file.RelativePath}: references project {include} outside sdk/";
            }
        }
    }

    /// <summary>Plugins and samples compile against the SDK, never against the core.</summary>
    public static IEnumerable<string> PluginDoesNotReferenceCore(ProjectFile file)
    {
        foreach (var reference in file.Items("ProjectReference"))
        {
            var include = reference.Attribute("Include")?.Value ?? "";
            var target = file.Resolve(include);
            if (target is null)
            {
                yield return $"{file.RelativePath}: project reference {include} cannot be checked";
            }
            else if (target.StartsWith("core/", StringComparison.Ordinal))
            {
                yield return $"{file.RelativePath}: references {target} under core/";
            }
        }
    }

    /// <summary>The core builds plugins (so they land in bin/plugins/) but never links against them.</summary>
    public static IEnumerable<string> CoreReferencesPluginsForBuildOrderOnly(ProjectFile file)
    {
        foreach (var reference in file.Items("ProjectReference"))
        {
            var include = reference.Attribute("Include")?.Value ?? "";
            var target = file.Resolve(include);
            var isPlugin = target is null || target.StartsWith("plugins/", StringComparison.Ordinal) || target.StartsWith("samples/", StringComparison.Ordinal);
            if (isPlugin && !string.Equals(ProjectFile.Metadata(reference, "ReferenceOutputAssembly")?.Trim(), "false", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{file.RelativePath}: references plugin project {include} without ReferenceOutputAssembly=\"false\"";
            }
        }
    }

    /// <summary>An assembly of the core links no plugin assembly.</summary>
    public static IEnumerable<string> NoPluginAssembly(string assembly, IEnumerable<AssemblyName> references) =>
        references.Select(r => r.Name ?? "")
            .Where(n => n.StartsWith("MPM.Plugins.", StringComparison.OrdinalIgnoreCase) || n.StartsWith("MPM.Samples.", StringComparison.OrdinalIgnoreCase))
            .Select(n => $"{assembly} references plugin assembly {n}");
}

/// <summary>The repository this test was built from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

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

    /// <summary>MSBuild files under <paramref name="folder"/> (relative to the root), outside bin/, obj/ and node_modules/.</summary>
    public static IReadOnlyList<ProjectFile> MsBuildFiles(string folder, params string[] extensions)
    {
        var start = Path.Combine(Root, folder);
        if (!Directory.Exists(start))
        {
            return [];
        }

        return Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "node_modules"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => ProjectFile.Parse(f, File.ReadAllText(Path.Combine(Root, f))))
            .ToList();
    }
}
