using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MPM.Sdk;

namespace MPM.Fixtures.StraySdk;

public sealed class StraySdkPlugin : IPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.MapEndpoints(e => e.MapGet("ping", () => Results.Text("stray-ok")));
}
