using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// Builds and decodes 20-digit STS tokens. A data block is 64 bits: subclass (63..60), 44 payload
/// bits (59..16) and the CRC (15..0); it is encrypted under the decoder key, except for class 1.
/// </summary>
public static class StsTokens
{
    public const int CreditClass = 0;
    public const int TestClass = 1;
    public const int ManagementClass = 2;

    /// <summary>A fresh 4-bit random number for the RND field.</summary>
    public static int DrawRnd() => RandomNumberGenerator.GetInt32(16);

    /// <summary>
    /// A credit transfer token. <paramref name="amount"/> is in service units with one decimal (kWh for
    /// electricity); the meter credits the rounded-up encoded value (see <see cref="TransferAmount"/>).
    /// </summary>
    public static string Credit(DecoderKey key, BaseDate baseDate, DateTime issued, CreditSubclass subclass, decimal amount, int rnd)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Enum.IsDefined(subclass))
            throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "credit subclass must be 0 (electricity), 1 (water) or 2 (gas)");
        ushort field = TransferAmount.Encode(TransferAmount.AmountToUnits(amount));
        ulong block = Seal(CreditClass, (int)subclass, TimedPayload(baseDate, issued, rnd, field));
        return TokenNumber.Format(CreditClass, key.Encrypt(block));
    }

    /// <summary>
    /// A management token. <paramref name="value"/>: watts for the power limits (amount-encoded, so it may
    /// round up), the register number for clear credit (0xFFFF = all), 0 for clear tamper.
    /// </summary>
    public static string Management(DecoderKey key, BaseDate baseDate, DateTime issued, ManagementSubclass subclass, long value, int rnd)
    {
        ArgumentNullException.ThrowIfNull(key);
        ushort field = subclass switch
        {
            ManagementSubclass.SetMaximumPowerLimit or ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit => TransferAmount.Encode(value),
            ManagementSubclass.ClearCredit when value is >= 0 and <= 0xFFFF => (ushort)value,
            ManagementSubclass.ClearCredit => throw new ArgumentOutOfRangeException(nameof(value), value, "the register to clear is 0 to 65535"),
            ManagementSubclass.ClearTamperCondition when value == 0 => 0,
            ManagementSubclass.ClearTamperCondition => throw new ArgumentOutOfRangeException(nameof(value), value, "clear tamper carries no value: it must be 0"),
            _ => throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "management subclass must be 0, 1, 5 or 6"),
        };
        ulong block = Seal(ManagementClass, (int)subclass, TimedPayload(baseDate, issued, rnd, field));
        return TokenNumber.Format(ManagementClass, key.Encrypt(block));
    }

    /// <summary>
    /// The key change tokens, first section first, all encrypted under the CURRENT key. A 64-bit new key
    /// takes sections 1 and 2 (subclasses 3, 4); a 128-bit one adds sections 3 and 4 (subclasses 8, 9),
    /// which carry the middle 64 key bits and the new supply group code.
    /// </summary>
    public static IReadOnlyList<string> KeyChange(DecoderKey currentKey, DecoderKey newKey, KeyChangeFields fields)
    {
        ArgumentNullException.ThrowIfNull(currentKey);
        ArgumentNullException.ThrowIfNull(newKey);
        ArgumentNullException.ThrowIfNull(fields);
        ReadOnlySpan<byte> nk = newKey.Bytes;
        ulong kenHigh = (ulong)fields.KeyExpiryNumber >> 4, kenLow = (ulong)fields.KeyExpiryNumber & 0xF;
        ulong sgc = ulong.Parse(fields.SupplyGroupCode, CultureInfo.InvariantCulture);

        var blocks = new List<(int Subclass, ulong Payload)>
        {
            (KeyChangeSubclass.FirstSection, kenHigh << 40 | (ulong)fields.KeyRevision << 36 | (fields.Rollover ? 1UL : 0) << 35
                | (ulong)fields.KeyType << 32 | BinaryPrimitives.ReadUInt32BigEndian(nk)),
            (KeyChangeSubclass.SecondSection, kenLow << 40 | (ulong)fields.TariffIndex << 32 | BinaryPrimitives.ReadUInt32BigEndian(nk[^4..])),
        };
        if (nk.Length == 16)
        {
            blocks.Add((KeyChangeSubclass.ThirdSection, (sgc & 0xFFF) << 32 | BinaryPrimitives.ReadUInt32BigEndian(nk[4..])));
            blocks.Add((KeyChangeSubclass.FourthSection, (sgc >> 12 & 0xFFF) << 32 | BinaryPrimitives.ReadUInt32BigEndian(nk[8..])));
        }
        return blocks.Select(b => TokenNumber.Format(ManagementClass, currentKey.Encrypt(Seal(ManagementClass, b.Subclass, b.Payload)))).ToList();
    }

    /// <summary>An InitiateMeterTest/Display token (class 1, not encrypted).</summary>
    public static string Test(TestSubclass subclass, ulong control, int manufacturerCode)
    {
        (int controlBits, int codeBits) = TestFieldWidths(subclass);
        if (control >> controlBits != 0)
            throw new ArgumentOutOfRangeException(nameof(control), control, $"the control field of subclass {(int)subclass} is {controlBits} bits");
        if (manufacturerCode < 0 || manufacturerCode >> codeBits != 0)
            throw new ArgumentOutOfRangeException(nameof(manufacturerCode), manufacturerCode, $"the manufacturer code of subclass {(int)subclass} is {codeBits} bits");
        return TokenNumber.Format(TestClass, Seal(TestClass, (int)subclass, control << codeBits | (uint)manufacturerCode));
    }

    /// <summary>Takes a 20-digit token apart with the meter's key (the key is not used for class 1).</summary>
    public static DecodedToken Decode(string token, DecoderKey key, BaseDate baseDate)
    {
        ArgumentNullException.ThrowIfNull(key);
        (int tokenClass, ulong raw) = TokenNumber.Parse(token);
        ulong block = tokenClass == TestClass ? raw : key.Decrypt(raw);
        int subclass = (int)(block >> 60);
        ushort field = (ushort)(block >> 16);
        var decoded = new DecodedToken
        {
            TokenClass = tokenClass,
            Subclass = subclass,
            Block = block,
            CrcOk = StsCrc.Field(tokenClass, block) == (ushort)block,
        };

        bool isKeyChange = subclass is KeyChangeSubclass.FirstSection or KeyChangeSubclass.SecondSection
            or KeyChangeSubclass.ThirdSection or KeyChangeSubclass.FourthSection;
        if (tokenClass == TestClass)
        {
            int codeBits = subclass == (int)TestSubclass.InitiateMeterTest1 ? 8 : 16;
            ulong payload = block >> 16 & (1UL << 44) - 1;
            return decoded with { Control = payload >> codeBits, ManufacturerCode = (int)(payload & ((1UL << codeBits) - 1)) };
        }
        if (tokenClass == CreditClass || tokenClass == ManagementClass && !isKeyChange)
        {
            int tid = (int)(block >> 32 & TokenIdentifier.MaxValue);
            decoded = decoded with { Rnd = (int)(block >> 56 & 0xF), Tid = tid, IssuedAt = TokenIdentifier.ToIssueTime(tid, baseDate) };
            if (tokenClass == CreditClass)
                return decoded with { Units = TransferAmount.Decode(field) };
            bool isPowerLimit = subclass is (int)ManagementSubclass.SetMaximumPowerLimit or (int)ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit;
            return decoded with { Value = isPowerLimit ? TransferAmount.Decode(field) : field };
        }
        return decoded;
    }

    /// <summary>Puts the subclass and 44 payload bits in a block and appends the CRC.</summary>
    public static ulong Seal(int tokenClass, int subclass, ulong payload)
    {
        if (subclass is < 0 or > 15)
            throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "the subclass is 4 bits");
        if (payload >> 44 != 0)
            throw new ArgumentOutOfRangeException(nameof(payload), payload, "the payload is 44 bits");
        ulong block = (ulong)subclass << 60 | payload << 16;
        return block | StsCrc.Field(tokenClass, block);
    }

    /// <summary>The payload of credit and management tokens: RND (4) ‖ TID (24) ‖ 16-bit field.</summary>
    public static ulong TimedPayload(BaseDate baseDate, DateTime issued, int rnd, ushort field)
    {
        if (rnd is < 0 or > 15)
            throw new ArgumentOutOfRangeException(nameof(rnd), rnd, "RND is 4 bits (0 to 15)");
        ulong tid = (ulong)TokenIdentifier.FromIssueTime(issued, baseDate);
        return (ulong)rnd << 40 | tid << 16 | field;
    }

    private static (int ControlBits, int CodeBits) TestFieldWidths(TestSubclass subclass) => subclass switch
    {
        TestSubclass.InitiateMeterTest1 => (36, 8),
        TestSubclass.InitiateMeterTest2 => (28, 16),
        _ => throw new ArgumentOutOfRangeException(nameof(subclass), subclass, "test token subclass must be 0 or 1"),
    };
}
