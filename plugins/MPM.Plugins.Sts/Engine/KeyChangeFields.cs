namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// What the key change tokens tell the meter about its new key, besides the key itself.
/// KeyExpiryNumber is 8 bits (split over the first two sections); Rollover asks the meter to
/// reset its TID history, as needed when moving to a new base date.
/// </summary>
public sealed record KeyChangeFields
{
    public KeyChangeFields(int keyRevision, int keyType, int tariffIndex, string supplyGroupCode, int keyExpiryNumber = 255, bool rollover = false)
    {
        if (keyExpiryNumber is < 0 or > 255)
            throw new ArgumentOutOfRangeException(nameof(keyExpiryNumber), keyExpiryNumber, "the key expiry number is 0 to 255");
        KeyRevision = FieldRules.KeyRevision(keyRevision);
        KeyType = FieldRules.KeyType(keyType);
        TariffIndex = FieldRules.TariffIndex(tariffIndex);
        SupplyGroupCode = FieldRules.SupplyGroupCode(supplyGroupCode);
        KeyExpiryNumber = keyExpiryNumber;
        Rollover = rollover;
    }

    public int KeyRevision { get; }
    public int KeyType { get; }
    public int TariffIndex { get; }
    public string SupplyGroupCode { get; }
    public int KeyExpiryNumber { get; }
    public bool Rollover { get; }

    /// <summary>The fields describing a key derived from <paramref name="newKey"/>.</summary>
    public static KeyChangeFields For(DecoderKeyParameters newKey, int keyExpiryNumber = 255, bool rollover = false) =>
        new(newKey.KeyRevision, newKey.KeyType, newKey.TariffIndex, newKey.SupplyGroupCode, keyExpiryNumber, rollover);
}
