using System.Buffers.Binary;

namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// A meter's decoder key bound to its encryption algorithm, ready to encrypt token blocks.
/// Build it once per meter and reuse it: the cipher key schedule is prepared here.
/// </summary>
public sealed class DecoderKey
{
    private readonly byte[] _bytes;
    private readonly ulong _staKey;
    private readonly Misty1Cipher? _misty1;

    public DecoderKey(EncryptionAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        FieldRules.Defined(algorithm);
        int expected = DecoderKeyGenerator.KeyLength(algorithm);
        if (key.Length != expected)
            throw new ArgumentException(
                $"EA{(int)algorithm:D2} needs a {expected * 8}-bit decoder key, not {key.Length * 8}-bit" +
                (algorithm == EncryptionAlgorithm.Misty1 ? " (DKGA02 keys are 64-bit: use DKGA04)" : ""), nameof(key));
        Algorithm = algorithm;
        _bytes = key.ToArray();
        if (algorithm == EncryptionAlgorithm.Sta)
            _staKey = BinaryPrimitives.ReadUInt64BigEndian(key);
        else
            _misty1 = new Misty1Cipher(key);
    }

    public EncryptionAlgorithm Algorithm { get; }

    /// <summary>The key bytes in order; the hex form is big-endian (E653341F9D5BF36F).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public static DecoderKey FromHex(string hex, EncryptionAlgorithm algorithm)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new FormatException($"decoder key '{hex}' is not hexadecimal");
        }
        return new DecoderKey(algorithm, bytes);
    }

    public string ToHex() => Convert.ToHexString(_bytes);

    public ulong Encrypt(ulong block) => _misty1 is null ? StaCipher.Encrypt(block, _staKey) : _misty1.Encrypt(block);

    public ulong Decrypt(ulong block) => _misty1 is null ? StaCipher.Decrypt(block, _staKey) : _misty1.Decrypt(block);
}
