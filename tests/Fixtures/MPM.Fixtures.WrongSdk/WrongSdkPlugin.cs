using MPM.Sdk;

namespace MPM.Fixtures.WrongSdk;

public sealed class WrongSdkPlugin : IPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddSidebarItem(new SidebarItem("Must not appear", "/nowhere"));
}
