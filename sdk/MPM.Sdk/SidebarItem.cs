namespace MPM.Sdk;

/// <summary>An operator sidebar entry. <paramref name="Icon"/> is a Bootstrap Icons class, e.g. "bi-puzzle".</summary>
public sealed record SidebarItem(string Title, string Url, string Icon = "bi-puzzle", string? RequiredRole = null);
