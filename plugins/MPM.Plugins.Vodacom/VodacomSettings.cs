using MPM.Sdk;

namespace MPM.Plugins.Vodacom;

/// <summary>The plugin's settings: who may call, the broker's credentials, where results go and with which certificates.</summary>
internal sealed record VodacomSettings(
    string? AllowedIps,
    string? SpId,
    string? SpPassword,
    string Currency,
    string? ResultUrl,
    string? ClientCertificate,
    string? BrokerTlsCertificate,
    string? BrokerEncryptionCertificate)
{
    public const string AllowedIpsKey = "allowedIps";
    public const string SpIdKey = "spId";
    public const string SpPasswordKey = "spPassword";
    public const string CurrencyKey = "currency";
    public const string ResultUrlKey = "resultUrl";
    public const string ClientCertificateKey = "clientCertificate";
    public const string BrokerTlsCertificateKey = "brokerTlsCertificate";
    public const string BrokerEncryptionCertificateKey = "brokerEncryptionCertificate";

    public static IReadOnlyList<PluginSetting> Declared { get; } =
    [
        new(AllowedIpsKey, "Allowed caller addresses", Help: "The broker's IP addresses or CIDR networks, separated by commas. Empty refuses every caller."),
        new(SpIdKey, "Service provider id (spId)", Required: true, Help: "Requests must carry this spId; results are sent with it."),
        new(SpPasswordKey, "Service provider password", Secret: true, Help: "When set, a request's spPassword must be Base64(SHA-256(spId + password + timestamp)) or the password itself; results carry the first form."),
        new(CurrencyKey, "Currency", Required: true, DefaultValue: "TZS"),
        new(ResultUrlKey, "Broker result URL", Help: "Where the final result of each payment is posted. Empty: results are not sent (recorded as \"not sent: no URL configured\")."),
        new(ClientCertificateKey, "Client certificate and key (PEM)", PluginSettingType.Multiline, Secret: true, Help: "For mutual TLS with the broker: the certificate and its private key, PEM. Empty: no client certificate."),
        new(BrokerTlsCertificateKey, "Broker TLS certificate (PEM)", PluginSettingType.Multiline, Help: "The broker's server certificate or its CA, when it is not publicly trusted. Empty: the system's trust store."),
        new(BrokerEncryptionCertificateKey, "Broker encryption certificate (PEM)", PluginSettingType.Multiline, Help: "The broker's public certificate: the initiatorPassword of a result is the initiator encrypted under it (RSA PKCS#1 v1.5). Empty: sent blank."),
    ];

    public static VodacomSettings From(IReadOnlyDictionary<string, string?> values)
    {
        string? Value(string key) => values.GetValueOrDefault(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new VodacomSettings(
            Value(AllowedIpsKey),
            Value(SpIdKey),
            Value(SpPasswordKey),
            Value(CurrencyKey) ?? "TZS",
            Value(ResultUrlKey),
            Value(ClientCertificateKey),
            Value(BrokerTlsCertificateKey),
            Value(BrokerEncryptionCertificateKey));
    }
}
