using System.Buffers.Binary;
using System.Globalization;

namespace MPM.Plugins.OpenPaygo.Engine;

/// <summary>
/// What differs between standard (9-digit) and extended (12-digit) OpenPAYGO tokens. A code's last
/// 3 (standard) or 6 (extended) digits, its "base", carry the token value; the other digits come
/// from a SipHash chain started at the device's starting code.
/// </summary>
internal sealed class TokenFormat
{
    public const uint MaxStartingCode = 999_999_999;
    public const int DisablePaygValue = 998;
    public const int CounterSyncValue = 999;

    public static readonly TokenFormat Standard = new(isExtended: false, baseModulus: 1000, maxTimeValue: 995, digits: 9, bits: 30);
    public static readonly TokenFormat Extended = new(isExtended: true, baseModulus: 1_000_000, maxTimeValue: 999_999, digits: 12, bits: 40);

    private readonly int _digits;
    private readonly int _bits;

    private TokenFormat(bool isExtended, int baseModulus, int maxTimeValue, int digits, int bits)
    {
        IsExtended = isExtended;
        BaseModulus = baseModulus;
        MaxTimeValue = maxTimeValue;
        _digits = digits;
        _bits = bits;
    }

    public bool IsExtended { get; }

    public int BaseModulus { get; }

    /// <summary>The largest value of an add-time or set-time token.</summary>
    public int MaxTimeValue { get; }

    public static TokenFormat For(bool extended) => extended ? Extended : Standard;

    public static void CheckKey(byte[] key16)
    {
        ArgumentNullException.ThrowIfNull(key16);
        if (key16.Length != 16)
        {
            throw new ArgumentException("The OpenPAYGO key must be 16 bytes (32 hex characters).");
        }
    }

    public static void CheckStartingCode(uint startingCode)
    {
        if (startingCode > MaxStartingCode)
        {
            throw new ArgumentException($"The starting code must have at most 9 digits, got {startingCode}.");
        }
    }

    /// <summary>Folds a 64-bit hash into a number of at most 9 digits (30 bits, then folded below 10^9).</summary>
    public static ulong HashToStandardCode(ulong hash)
    {
        uint folded = (uint)(hash >> 32) ^ (uint)hash;
        ulong code = folded >> 2;
        return code > 999_999_999 ? code - 73_741_825 : code;
    }

    public int BaseOf(ulong code) => (int)(code % (ulong)BaseModulus);

    public ulong WithBase(ulong code, int tokenBase) => code - code % (ulong)BaseModulus + (ulong)tokenBase;

    public ulong Next(ulong code, byte[] key16)
    {
        Span<byte> message = stackalloc byte[8];
        if (IsExtended)
        {
            BinaryPrimitives.WriteUInt64BigEndian(message, code);
            ulong next = SipHash24.Hash(key16, message) >> 24;
            return next > 999_999_999_999 ? next - 99_511_627_777 : next;
        }

        // The 4-byte code is written twice because SipHash is fed 8 bytes.
        BinaryPrimitives.WriteUInt32BigEndian(message, (uint)code);
        message[..4].CopyTo(message[4..]);
        return HashToStandardCode(SipHash24.Hash(key16, message));
    }

    public string Format(ulong code, bool restrictedDigits)
    {
        if (!restrictedDigits)
        {
            return code.ToString(CultureInfo.InvariantCulture).PadLeft(_digits, '0');
        }

        // Each pair of bits, most significant first, becomes one digit 1..4.
        var digits = new char[_bits / 2];
        for (int i = 0; i < digits.Length; i++)
        {
            digits[i] = (char)('1' + (int)((code >> (_bits - 2 - (2 * i))) & 3));
        }

        return new string(digits);
    }

    /// <summary>Reads a token; its length tells the format. False when it is no well-formed token.</summary>
    public static bool TryParse(string token, bool restrictedDigits, out TokenFormat format, out ulong code)
    {
        format = Standard;
        code = 0;
        if (token.Length == Extended.DigitCount(restrictedDigits))
        {
            format = Extended;
        }
        else if (token.Length != Standard.DigitCount(restrictedDigits))
        {
            return false;
        }

        foreach (char c in token)
        {
            if (restrictedDigits)
            {
                if (c is < '1' or > '4')
                {
                    return false;
                }

                code = (code << 2) | (uint)(c - '1');
            }
            else
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }

                code = (code * 10) + (uint)(c - '0');
            }
        }

        return true;
    }

    private int DigitCount(bool restrictedDigits) => restrictedDigits ? _bits / 2 : _digits;
}
