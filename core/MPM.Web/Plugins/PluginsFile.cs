using System.Text.Json;
using System.Text.Json.Serialization;

namespace MPM.Web.Plugins;

/// <summary>One entry of plugins.json: which plugin folder to load, and its non-secret settings.</summary>
public sealed record PluginEntry(string Id, string Path, bool Enabled, JsonElement? Settings);

/// <summary>plugins.json: the plugins the host loads at start-up, in order.</summary>
public static class PluginsFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static IReadOnlyList<PluginEntry> Read(string file)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"plugins file not found: {file}");
        }

        var document = JsonSerializer.Deserialize<Document>(File.ReadAllText(file), Options)
            ?? throw new InvalidOperationException($"{file} is empty");
        return (document.Plugins ?? []).Select(p => new PluginEntry(p.Id ?? "", p.Path ?? "", p.Enabled ?? true, p.Settings)).ToList();
    }

    /// <summary>A plugin path must be a plain relative folder name below the plugin root: no rooted paths,
    /// no "..", no URLs, no home or drive prefixes.</summary>
    public static string? PathProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "the plugin path is empty";
        }

        if (System.IO.Path.IsPathRooted(path) || path.Contains(':') || path.StartsWith('~') || path.StartsWith('\\'))
        {
            return $"unsafe plugin path '{path}': it must be relative to the plugin folder";
        }

        // A backslash separates folders on Windows only: the same plugins.json must mean the same folder everywhere.
        if (path.Contains('\\'))
        {
            return $"unsafe plugin path '{path}': separate folders with '/', not '\\'";
        }

        return path.Split('/', '\\').Any(part => part is ".." or "." or "")
            ? $"unsafe plugin path '{path}': '..', '.' and empty segments are not allowed"
            : null;
    }

    private sealed class Document
    {
        [JsonPropertyName("plugins")] public List<Entry>? Plugins { get; set; }
    }

    private sealed class Entry
    {
        public string? Id { get; set; }
        public string? Path { get; set; }
        public bool? Enabled { get; set; }
        public JsonElement? Settings { get; set; }
    }
}
