using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MPM.Plugins.Sts.Engine;

/// <summary>Decoder key generation algorithms.</summary>
public enum KeyGenerationAlgorithm
{
    /// <summary>DKGA02: DES under a 64-bit vending key.</summary>
    Dkga02 = 2,

    /// <summary>DKGA04: HMAC-SHA-256 KDF under a 160-bit vending key.</summary>
    Dkga04 = 4,
}

public static class DecoderKeyGenerator
{
    /// <summary>Digits 2–17 of the meter PAN (no leading digit, no check digit) read as 16 hex nibbles.</summary>
    public static ulong PanBlock(DecoderKeyParameters parameters) =>
        ulong.Parse(parameters.EffectivePan.Digits.AsSpan(1, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>KT ‖ SGC ‖ TI ‖ KRN ‖ FFFFFF as 16 hex nibbles.</summary>
    public static ulong ControlBlock(DecoderKeyParameters parameters) =>
        ulong.Parse(
            $"{parameters.KeyType}{parameters.SupplyGroupCode}{parameters.TariffIndexDigits}{parameters.KeyRevision}FFFFFF",
            NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>DKGA02: DK = DES_VK(PANblock ⊕ CTLblock) ⊕ (PANblock ⊕ CTLblock) ⊕ VK. Returns 8 bytes.</summary>
    public static byte[] Dkga02(ReadOnlySpan<byte> vendingKey, DecoderKeyParameters parameters)
    {
        if (vendingKey.Length != 8)
            throw new ArgumentException($"a DKGA02 vending key is 8 bytes, not {vendingKey.Length}", nameof(vendingKey));
        ulong x = PanBlock(parameters) ^ ControlBlock(parameters);
        Span<byte> block = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(block, x);
        using var des = DES.Create();
        try
        {
            des.Key = vendingKey.ToArray();
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"the vending key is unusable for DES: {e.Message}", nameof(vendingKey), e);
        }
        Span<byte> encrypted = stackalloc byte[8];
        des.EncryptEcb(block, encrypted, PaddingMode.None);
        ulong key = BinaryPrimitives.ReadUInt64BigEndian(encrypted) ^ x ^ BinaryPrimitives.ReadUInt64BigEndian(vendingKey);
        var result = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(result, key);
        return result;
    }

    /// <summary>
    /// The DKGA04 KDF input: 04 | 02 "04" | 02 base-date code | 02 EA code | 02 TI | 00 |
    /// 04 | 06 SGC | 01 KT | 01 KRN | 12 PAN | output length in bits (32-bit big-endian).
    /// </summary>
    public static byte[] Dkga04Message(DecoderKeyParameters parameters)
    {
        var message = new List<byte> { 4 };
        AddField(message, "04");
        AddField(message, parameters.BaseDate.ShortCode());
        AddField(message, ((int)parameters.Algorithm).ToString("D2", CultureInfo.InvariantCulture));
        AddField(message, parameters.TariffIndexDigits);
        message.Add(0);
        message.Add(4);
        AddField(message, parameters.SupplyGroupCode);
        AddField(message, parameters.KeyType.ToString("X", CultureInfo.InvariantCulture));
        AddField(message, parameters.KeyRevision.ToString("X", CultureInfo.InvariantCulture));
        AddField(message, parameters.EffectivePan.Digits);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, KeyLength(parameters.Algorithm) * 8);
        message.AddRange(length);
        return [.. message];
    }

    /// <summary>DKGA04: the first 8 (STA) or 16 (MISTY1) bytes of HMAC-SHA-256(VK, message).</summary>
    public static byte[] Dkga04(ReadOnlySpan<byte> vendingKey, DecoderKeyParameters parameters)
    {
        if (vendingKey.Length != 20)
            throw new ArgumentException($"a DKGA04 vending key is 20 bytes, not {vendingKey.Length}", nameof(vendingKey));
        byte[] mac = HMACSHA256.HashData(vendingKey, Dkga04Message(parameters));
        return mac[..KeyLength(parameters.Algorithm)];
    }

    public static DecoderKey Derive(KeyGenerationAlgorithm dkga, ReadOnlySpan<byte> vendingKey, DecoderKeyParameters parameters)
    {
        byte[] key = dkga switch
        {
            KeyGenerationAlgorithm.Dkga02 => Dkga02(vendingKey, parameters),
            KeyGenerationAlgorithm.Dkga04 => Dkga04(vendingKey, parameters),
            _ => throw new ArgumentOutOfRangeException(nameof(dkga), dkga, "only DKGA02 and DKGA04 are supported"),
        };
        return new DecoderKey(parameters.Algorithm, key);
    }

    public static int KeyLength(EncryptionAlgorithm algorithm) => algorithm == EncryptionAlgorithm.Misty1 ? 16 : 8;

    private static void AddField(List<byte> message, string ascii)
    {
        message.Add((byte)ascii.Length);
        message.AddRange(Encoding.ASCII.GetBytes(ascii));
    }
}
