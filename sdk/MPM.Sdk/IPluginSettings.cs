namespace MPM.Sdk;

/// <summary>Reads the stored values of a plugin's declared settings (secrets decrypted).</summary>
public interface IPluginSettings
{
    /// <summary>Plugin-scope values of <paramref name="pluginId"/>; a setting never saved has its default value.</summary>
    Task<IReadOnlyDictionary<string, string?>> GetAsync(string pluginId, CancellationToken cancellationToken = default);

    /// <summary>The values of <paramref name="pluginId"/>'s manufacturer-scope settings for one meter manufacturer.</summary>
    Task<IReadOnlyDictionary<string, string?>> GetForManufacturerAsync(string pluginId, long manufacturerId, CancellationToken cancellationToken = default);
}
