using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Plugins.Providers.Tests.Support;
using Xunit;
using static MPM.Plugins.Providers.Tests.Support.Messages;

namespace MPM.Plugins.Providers.Tests;

/// <summary>
/// A broker on HTTPS that requires a client certificate, trusted through the plugin's broker TLS certificate setting;
/// the plugin holds its client certificate and key (PEM) as a secret setting.
/// </summary>
public sealed class MutualTlsWorld : IAsyncLifetime
{
    public X509Certificate2 ServerCertificate { get; } = Certificate("CN=broker.test", server: true);

    public X509Certificate2 ClientCertificate { get; } = Certificate("CN=mpm-client.test", server: false);

    public ProviderWorld World { get; private set; } = null!;

    public FakeProviderServer Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await FakeProviderServer.StartAsync(ServerCertificate);
        Broker.DefaultAnswer = (200, BrokerAnswer("0"));
        var clientPem = ClientCertificate.ExportCertificatePem() + "\n" + ClientCertificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();
        World = await ProviderWorld.CreateAsync(new()
        {
            ["vodacom-tz"] = new()
            {
                ["resultUrl"] = Broker.Url.Replace("http://", "https://", StringComparison.Ordinal),
                ["clientCertificate"] = clientPem,
                ["brokerTlsCertificate"] = ServerCertificate.ExportCertificatePem(),
            },
        });
    }

    public async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await Broker.DisposeAsync();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
    }

    private static X509Certificate2 Certificate(string subject, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}

public sealed class MutualTlsTests(MutualTlsWorld fixture) : IClassFixture<MutualTlsWorld>
{
    [Fact]
    public async Task The_result_is_posted_over_mutual_tls_with_the_configured_client_certificate()
    {
        var world = fixture.World;
        var meter = await world.MeterAsync();
        var conversation = NewReference();

        var (status, _) = await world.PostAsync(VodacomPath, Vodacom(meter, conversation));
        Assert.Equal(HttpStatusCode.OK, status);
        var payment = await world.QueryAsync(db => db.Transactions.FirstAsync(t => t.Provider == "vodacom-tz" && t.ProviderReference == conversation));

        var outbox = await world.OutboxDoneAsync(payment.Id);
        Assert.Equal(("delivered", "broker answered responseCode 0"), (outbox.Status, outbox.Response));
        var received = Assert.Single(fixture.Broker.Received, r => Field(r.Body, "conversationID") == conversation);
        Assert.Equal(fixture.ClientCertificate.Thumbprint, received.ClientCertificateThumbprint);
    }
}
