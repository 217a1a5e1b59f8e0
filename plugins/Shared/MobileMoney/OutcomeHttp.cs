using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MPM.Plugins.Shared.MobileMoney;

/// <summary>Posts an outcome message to a provider: optional client certificate (mutual TLS) and optional pinned server certificate.</summary>
internal static class OutcomeHttp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <param name="clientCertificatePem">The client certificate and its private key, PEM; null or blank for none.</param>
    /// <param name="trustedServerPem">A certificate (PEM) the server's must equal or chain to, for a private CA; null trusts the system store.</param>
    public static async Task<(int Status, string Body)> PostXmlAsync(string url, string xml, string? clientCertificatePem, string? trustedServerPem, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = Timeout, PooledConnectionLifetime = TimeSpan.Zero };
        X509Certificate2? client = null;
        X509Certificate2? trusted = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(clientCertificatePem))
            {
                using var fromPem = X509Certificate2.CreateFromPem(clientCertificatePem, clientCertificatePem);
                // An ephemeral key cannot be used for TLS on every platform: round-trip through PKCS#12.
                client = X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), null);
                handler.SslOptions.ClientCertificates = [client];
                handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => client;
            }

            if (!string.IsNullOrWhiteSpace(trustedServerPem))
            {
                trusted = X509Certificate2.CreateFromPem(trustedServerPem);
                var anchor = trusted;
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(anchor, certificate, errors);
            }

            using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout };
            using var content = new StringContent(xml, Encoding.UTF8, "text/xml");
            using var response = await http.PostAsync(url, content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return ((int)response.StatusCode, body.Length > 2000 ? body[..2000] : body);
        }
        finally
        {
            client?.Dispose();
            trusted?.Dispose();
        }
    }

    private static bool Trusts(X509Certificate2 anchor, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        if (certificate.Thumbprint == anchor.Thumbprint)
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
    }
}
