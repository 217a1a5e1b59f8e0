namespace MPM.Sdk;

/// <summary>Encrypts secrets a plugin keeps in its own tables (e.g. a device key), with the host's Data Protection keys.</summary>
public interface IPluginSecrets
{
    string Protect(string pluginId, string plaintext);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the value was not protected by this host.</summary>
    string Unprotect(string pluginId, string protectedValue);
}
