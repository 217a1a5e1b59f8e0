using System.Security.Claims;

namespace MPM.Web.Shell;

/// <summary>One link in the operator app's left sidebar.</summary>
/// <param name="Title">Text shown in the sidebar.</param>
/// <param name="Url">App-relative URL ("/Customers"); rendered through <c>Url.Content("~" + Url)</c>.</param>
/// <param name="Icon">Bootstrap Icons class name, e.g. "bi-diagram-3".</param>
/// <param name="Children">Sub-entries shown below the entry (may be empty).</param>
/// <param name="RequiredRole">When set, the entry is shown only to users in this role.</param>
public sealed record SidebarEntry(
    string Title,
    string Url,
    string Icon,
    IReadOnlyList<SidebarEntry> Children,
    string? RequiredRole = null);

/// <summary>
/// The sidebar of the operator app: the built-in sections followed by the entries that plugins
/// register (as <see cref="SidebarEntry"/> services). Register it as a singleton.
/// </summary>
public sealed class Sidebar
{
    private static readonly IReadOnlyList<SidebarEntry> None = [];

    public Sidebar(IEnumerable<SidebarEntry> pluginEntries)
    {
        ArgumentNullException.ThrowIfNull(pluginEntries);
        CoreEntries =
        [
            new("Clusters", "/", "bi-diagram-3", None),
            new("Customers", "/Customers", "bi-people", None),
            new("Meters", "/Meters", "bi-speedometer2", None),
            new("Targets", "/Targets", "bi-bullseye", None),
            new("Transactions", "/Transactions", "bi-cash-coin", None),
            new("Tickets", "/Tickets", "bi-ticket-detailed", [
                new("Categories", "/Tickets/Categories", "bi-tags", None),
                new("Users", "/Tickets/Users", "bi-person-badge", None),
            ]),
            new("Maintenance", "/Maintenance", "bi-tools", [
                new("Contractors", "/Maintenance/Contractors", "bi-person-workspace", None),
            ]),
            new("SMS", "/Sms", "bi-chat-left-text", None),
            new("Reports", "/Reports", "bi-file-earmark-bar-graph", None),
            new("Settings", "/Settings", "bi-gear", None),
            new("Plugins", "/Plugins", "bi-plug", None, RequiredRole: "admin"),
            new("Users", "/Users", "bi-person-gear", None, RequiredRole: "admin"),
            new("API keys", "/ApiKeys", "bi-key", None, RequiredRole: "admin"),
            new("Audit log", "/Audit", "bi-journal-text", None, RequiredRole: "admin"),
        ];
        PluginEntries = pluginEntries.ToList().AsReadOnly();
        Entries = CoreEntries.Concat(PluginEntries).ToList().AsReadOnly();
    }

    /// <summary>All top-level entries: the built-in ones, then the plugin entries.</summary>
    public IReadOnlyList<SidebarEntry> Entries { get; }

    /// <summary>The built-in entries (the first part of <see cref="Entries"/>).</summary>
    public IReadOnlyList<SidebarEntry> CoreEntries { get; }

    /// <summary>The entries registered by plugins (the last part of <see cref="Entries"/>).</summary>
    public IReadOnlyList<SidebarEntry> PluginEntries { get; }

    public static bool IsVisibleTo(SidebarEntry entry, ClaimsPrincipal user) =>
        entry.RequiredRole is null || user.IsInRole(entry.RequiredRole);

    /// <summary>
    /// The visible entry (top-level or child) that best matches <paramref name="path"/>: the one
    /// with the longest URL that equals the path or is a folder prefix of it ("/Tickets" matches
    /// "/Tickets/5", "/Tickets/Categories" beats "/Tickets"). "/" matches only "/" and "/Index".
    /// </summary>
    public SidebarEntry? FindActive(string? path, ClaimsPrincipal user)
    {
        SidebarEntry? best = null;
        foreach (var entry in Flatten(Entries, user))
        {
            if (Matches(entry.Url, path) && (best is null || Normalize(entry.Url).Length > Normalize(best.Url).Length))
            {
                best = entry;
            }
        }
        return best;
    }

    /// <summary>True when <paramref name="active"/> is one of the entry's descendants.</summary>
    public static bool ContainsActive(SidebarEntry entry, SidebarEntry? active) =>
        active is not null && entry.Children.Any(c => ReferenceEquals(c, active) || ContainsActive(c, active));

    public static bool Matches(string entryUrl, string? path)
    {
        var url = Normalize(entryUrl);
        var p = Normalize(path);
        if (url == "/")
        {
            return p == "/" || string.Equals(p, "/Index", StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(p, url, StringComparison.OrdinalIgnoreCase)
            || p.StartsWith(url + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<SidebarEntry> Flatten(IEnumerable<SidebarEntry> entries, ClaimsPrincipal user)
    {
        foreach (var entry in entries)
        {
            if (!IsVisibleTo(entry, user))
            {
                continue;
            }
            yield return entry;
            foreach (var child in Flatten(entry.Children, user))
            {
                yield return child;
            }
        }
    }

    private static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        return trimmed.Length == 0 ? "/" : trimmed;
    }
}
