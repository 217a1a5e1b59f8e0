using System.Text.Json;
using MPM.Sdk;

namespace MPM.Web.Plugins;

public static class PluginManifestReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads and checks plugin.json; throws <see cref="PluginLoadException"/> naming what is wrong.</summary>
    public static PluginManifest Read(string file)
    {
        if (!File.Exists(file))
        {
            throw new PluginLoadException($"plugin.json not found in {System.IO.Path.GetDirectoryName(file)}");
        }

        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(file), Options);
        }
        catch (JsonException e)
        {
            throw new PluginLoadException($"plugin.json is not valid: {e.Message}");
        }

        if (manifest is null || string.IsNullOrWhiteSpace(manifest.Id) || string.IsNullOrWhiteSpace(manifest.Assembly) || string.IsNullOrWhiteSpace(manifest.Version))
        {
            throw new PluginLoadException("plugin.json must give id, name, version, sdk, kinds and assembly");
        }

        if (PluginsFile.PathProblem(manifest.Assembly) is { } problem || manifest.Assembly.Contains('/') || manifest.Assembly.Contains('\\'))
        {
            throw new PluginLoadException($"plugin.json assembly '{manifest.Assembly}' must be a file name in the plugin folder");
        }

        var unknownKinds = (manifest.Kinds ?? []).Except(PluginKinds.All).ToList();
        if (unknownKinds.Count > 0)
        {
            throw new PluginLoadException($"plugin.json names unknown kinds: {string.Join(", ", unknownKinds)}");
        }

        return manifest with { Name = string.IsNullOrWhiteSpace(manifest.Name) ? manifest.Id : manifest.Name, Kinds = manifest.Kinds ?? [] };
    }
}

public sealed class PluginLoadException(string message) : Exception(message);
