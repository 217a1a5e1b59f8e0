using System.Globalization;
using MPM.Plugins.Sts.Engine;
using MPM.Sdk;

namespace MPM.Plugins.Sts.Vending;

/// <summary>A manufacturer's STS vending settings, parsed and checked.</summary>
public sealed record StsSettings(byte[] VendingKey, KeyGenerationAlgorithm KeyGeneration, EncryptionAlgorithm Encryption, string SupplyGroupCode, int TariffIndex, int KeyRevision, int KeyType, BaseDate BaseDate)
{
    public static IReadOnlyList<PluginSetting> Declared { get; } =
    [
        new("vendingKey", "Vending key (hex)", Secret: true, Required: true, Help: "16 hex digits for DKGA02, 40 for DKGA04.", Scope: PluginSettingScope.Manufacturer),
        new("keyGeneration", "Key generation algorithm", PluginSettingType.Choice, Required: true, DefaultValue: "04", Options: ["02", "04"], Scope: PluginSettingScope.Manufacturer),
        new("encryption", "Encryption algorithm", PluginSettingType.Choice, Required: true, DefaultValue: "11", Options: ["07", "11"], Help: "07 = STA, 11 = MISTY1.", Scope: PluginSettingScope.Manufacturer),
        new("supplyGroupCode", "Supply group code", Required: true, Help: "6 digits.", Scope: PluginSettingScope.Manufacturer),
        new("tariffIndex", "Tariff index", PluginSettingType.Number, Required: true, DefaultValue: "1", Scope: PluginSettingScope.Manufacturer),
        new("keyRevision", "Key revision number", PluginSettingType.Number, Required: true, DefaultValue: "1", Scope: PluginSettingScope.Manufacturer),
        new("keyType", "Key type", PluginSettingType.Choice, Required: true, DefaultValue: "2", Options: ["0", "1", "2", "3"], Scope: PluginSettingScope.Manufacturer),
        new("baseDate", "Base date", PluginSettingType.Choice, Required: true, DefaultValue: "2014", Options: ["1993", "2014", "2035"], Scope: PluginSettingScope.Manufacturer),
    ];

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is missing or wrong.</summary>
    public static StsSettings Parse(IReadOnlyDictionary<string, string?> values)
    {
        string Get(string key) => values.GetValueOrDefault(key) is { Length: > 0 } v ? v.Trim() : throw new ArgumentException($"STS setting '{key}' is not set");
        int Number(string key) => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"STS setting '{key}' must be a whole number");

        var dkga = Get("keyGeneration") switch
        {
            "02" => KeyGenerationAlgorithm.Dkga02,
            "04" => KeyGenerationAlgorithm.Dkga04,
            var other => throw new ArgumentException($"STS setting 'keyGeneration' must be 02 or 04, not {other}"),
        };
        var ea = Get("encryption") switch
        {
            "07" => EncryptionAlgorithm.Sta,
            "11" => EncryptionAlgorithm.Misty1,
            var other => throw new ArgumentException($"STS setting 'encryption' must be 07 or 11, not {other}"),
        };
        var baseDate = Get("baseDate") switch
        {
            "1993" => BaseDate.Year1993,
            "2014" => BaseDate.Year2014,
            "2035" => BaseDate.Year2035,
            var other => throw new ArgumentException($"STS setting 'baseDate' must be 1993, 2014 or 2035, not {other}"),
        };
        byte[] key;
        try
        {
            key = Convert.FromHexString(Get("vendingKey"));
        }
        catch (FormatException)
        {
            throw new ArgumentException("STS setting 'vendingKey' must be hexadecimal");
        }

        var expected = dkga == KeyGenerationAlgorithm.Dkga02 ? 8 : 20;
        if (key.Length != expected)
        {
            throw new ArgumentException($"STS setting 'vendingKey' must be {expected * 2} hex digits for DKGA{(int)dkga:D2}");
        }

        return new StsSettings(key, dkga, ea, Get("supplyGroupCode"), Number("tariffIndex"), Number("keyRevision"), Number("keyType"), baseDate);
    }

    /// <summary>The decoder key of a meter; the meter number's check digit is verified.</summary>
    public DecoderKey KeyFor(string meterNumber)
    {
        var parameters = new DecoderKeyParameters(MeterPan.Parse(meterNumber), SupplyGroupCode, TariffIndex, KeyRevision, KeyType, BaseDate, Encryption);
        return DecoderKeyGenerator.Derive(KeyGeneration, VendingKey, parameters);
    }
}
