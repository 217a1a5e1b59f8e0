using MPM.Sdk;

namespace MPM.Plugins.Airtel;

/// <summary>The plugin's settings: who may call, the credentials Airtel sends, where rollbacks go.</summary>
internal sealed record AirtelSettings(string? AllowedIps, string? ApiUser, string? ApiPassword, string Currency, string? RollbackUrl, string? ClientCertificate, string? AirtelTlsCertificate)
{
    public const string AllowedIpsKey = "allowedIps";
    public const string ApiUserKey = "apiUser";
    public const string ApiPasswordKey = "apiPassword";
    public const string CurrencyKey = "currency";
    public const string RollbackUrlKey = "rollbackUrl";
    public const string ClientCertificateKey = "clientCertificate";
    public const string AirtelTlsCertificateKey = "airtelTlsCertificate";

    public static IReadOnlyList<PluginSetting> Declared { get; } =
    [
        new(AllowedIpsKey, "Allowed caller addresses", Help: "Airtel's IP addresses or CIDR networks, separated by commas. Empty refuses every caller."),
        new(ApiUserKey, "API user", Required: true, Help: "The APIUser Airtel sends with each payment."),
        new(ApiPasswordKey, "API password", Secret: true, Required: true, Help: "The APIPassword Airtel sends with each payment (compared in constant time)."),
        new(CurrencyKey, "Currency", Required: true, DefaultValue: "TZS"),
        new(RollbackUrlKey, "Airtel request URL", Help: "Where the ROLLBACK of a cancelled payment is posted. Empty: rollbacks are not sent (recorded as \"not sent: no URL configured\")."),
        new(ClientCertificateKey, "Client certificate and key (PEM)", PluginSettingType.Multiline, Secret: true, Help: "For mutual TLS with Airtel, when required. Empty: none."),
        new(AirtelTlsCertificateKey, "Airtel TLS certificate (PEM)", PluginSettingType.Multiline, Help: "Airtel's server certificate or its CA, when it is not publicly trusted. Empty: the system's trust store."),
    ];

    public static AirtelSettings From(IReadOnlyDictionary<string, string?> values)
    {
        string? Value(string key) => values.GetValueOrDefault(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new AirtelSettings(Value(AllowedIpsKey), Value(ApiUserKey), Value(ApiPasswordKey), Value(CurrencyKey) ?? "TZS", Value(RollbackUrlKey),
            Value(ClientCertificateKey), Value(AirtelTlsCertificateKey));
    }
}
