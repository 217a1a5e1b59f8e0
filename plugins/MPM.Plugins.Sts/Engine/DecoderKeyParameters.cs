using System.Globalization;

namespace MPM.Plugins.Sts.Engine;

/// <summary>The inputs of decoder key generation besides the vending key. Every field is range-checked, also in <c>with</c>.</summary>
public sealed record DecoderKeyParameters
{
    public DecoderKeyParameters(MeterPan pan, string supplyGroupCode, int tariffIndex, int keyRevision, int keyType,
        BaseDate baseDate, EncryptionAlgorithm algorithm)
    {
        Pan = pan;
        SupplyGroupCode = supplyGroupCode;
        TariffIndex = tariffIndex;
        KeyRevision = keyRevision;
        KeyType = keyType;
        BaseDate = baseDate;
        Algorithm = algorithm;
    }

    public MeterPan Pan { get; init => field = value ?? throw new ArgumentNullException(nameof(value)); }
    public string SupplyGroupCode { get; init => field = FieldRules.SupplyGroupCode(value); }
    public int TariffIndex { get; init => field = FieldRules.TariffIndex(value); }
    public int KeyRevision { get; init => field = FieldRules.KeyRevision(value); }
    public int KeyType { get; init => field = FieldRules.KeyType(value); }
    public BaseDate BaseDate { get; init => field = FieldRules.Defined(value); }
    public EncryptionAlgorithm Algorithm { get; init => field = FieldRules.Defined(value); }

    /// <summary>Key type 3 (common key) is shared by all meters of a group: the meter number is zeroed.</summary>
    public MeterPan EffectivePan => KeyType == 3 ? Pan.WithZeroIain() : Pan;

    internal string TariffIndexDigits => TariffIndex.ToString("D2", CultureInfo.InvariantCulture);
}
