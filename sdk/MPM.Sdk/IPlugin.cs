namespace MPM.Sdk;

/// <summary>
/// The entry point of a plugin: one public class with a parameterless constructor per plugin assembly.
/// The host calls <see cref="Configure"/> once at start-up; everything the plugin contributes is declared there.
/// </summary>
public interface IPlugin
{
    void Configure(IPluginBuilder plugin);
}
