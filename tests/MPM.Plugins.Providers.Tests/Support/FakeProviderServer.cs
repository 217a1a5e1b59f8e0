using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MPM.Plugins.Providers.Tests.Support;

/// <summary>
/// A provider's server (the M-Pesa broker, Airtel) on a loopback port over real HTTP — or HTTPS requiring a client
/// certificate — recording every request and answering from a script, then with the default answer.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();

    private FakeProviderServer(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public string Url { get; private set; } = "";

    /// <summary>The answer once the script is used up.</summary>
    public (int Status, string Body) DefaultAnswer { get; set; } = (200, "");

    public void Then(int status, string body) => _script.Enqueue((status, body));

    /// <param name="serverCertificate">Serve HTTPS with this certificate and require a client certificate.</param>
    public static async Task<FakeProviderServer> StartAsync(X509Certificate2? serverCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        var app = builder.Build();
        var server = new FakeProviderServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            server.Received.Enqueue(new ReceivedRequest(context.Request.Path, context.Request.ContentType, body, context.Connection.ClientCertificate?.Thumbprint));
            var (status, answer) = server._script.TryDequeue(out var scripted) ? scripted : server.DefaultAnswer;
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml; charset=utf-8";
            await context.Response.WriteAsync(answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/broker";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(PathString Path, string? ContentType, string Body, string? ClientCertificateThumbprint);
