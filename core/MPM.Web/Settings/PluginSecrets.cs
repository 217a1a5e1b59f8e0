using Microsoft.AspNetCore.DataProtection;
using MPM.Sdk;

namespace MPM.Web.Settings;

/// <summary>Data Protection for plugins' own secrets, with a purpose per plugin so one plugin cannot read another's.</summary>
public sealed class PluginSecrets(IDataProtectionProvider protection) : IPluginSecrets
{
    public string Protect(string pluginId, string plaintext) => Protector(pluginId).Protect(plaintext);

    public string Unprotect(string pluginId, string protectedValue) => Protector(pluginId).Unprotect(protectedValue);

    private IDataProtector Protector(string pluginId) => protection.CreateProtector("MPM.PluginSecrets.v1", pluginId);
}
