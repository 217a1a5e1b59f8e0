using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Fixtures.Throwing;

public sealed class ThrowingPlugin : IPlugin
{
    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddKeyedSingleton<ISmsGateway, BrokenGateway>(plugin.Manifest.Id);
        throw new InvalidOperationException("the fixture refuses to start");
    }
}

public sealed class BrokenGateway : ISmsGateway
{
    public Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken) => throw new NotSupportedException();
}
