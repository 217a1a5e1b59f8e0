using System.Reflection;
using Microsoft.AspNetCore.Routing;
using MPM.Sdk;
using MPM.Web.Jobs;

namespace MPM.Web.Plugins;

public enum PluginStatus
{
    Active,
    Failed,
    Disabled,
}

/// <summary>A plugins.json entry after loading: what it contributed, or why it failed.</summary>
public sealed class LoadedPlugin(PluginEntry entry, string folder)
{
    public PluginEntry Entry { get; } = entry;

    public string Id => Manifest?.Id ?? Entry.Id;

    public string Folder { get; } = folder;

    public PluginManifest? Manifest { get; set; }

    public PluginStatus Status { get; private set; } = PluginStatus.Active;

    public string? FailureReason { get; private set; }

    public Assembly? Assembly { get; set; }

    public List<PluginSetting> Settings { get; } = [];

    public List<JobSchedule> Jobs { get; } = [];

    public List<PluginCliVerb> CliVerbs { get; } = [];

    public List<SidebarItem> SidebarItems { get; } = [];

    public List<Action<IEndpointRouteBuilder>> EndpointMaps { get; } = [];

    public void Fail(string reason)
    {
        Status = PluginStatus.Failed;
        FailureReason = reason;
    }

    public void Disable()
    {
        Status = PluginStatus.Disabled;
        FailureReason = "disabled in plugins.json";
    }
}

public sealed record PluginCliVerb(string PluginId, string Name, string Description, Type VerbType, bool NeedsDatabase);
