namespace MPM.Sdk;

/// <summary>Reads the stored values of a plugin's declared settings (secrets decrypted).</summary>
public interface IPluginSettings
{
    /// <summary>Plugin-scope values of <paramref name="pluginId"/>; a setting never saved has its default value.</summary>
    Task<IReadOnlyDictionary<string, string?>> GetAsync(string pluginId, CancellationToken cancellationToken = default);
}
