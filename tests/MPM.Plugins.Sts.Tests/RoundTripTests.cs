using System.Buffers.Binary;
using MPM.Plugins.Sts.Engine;
using Xunit;
using static MPM.Plugins.Sts.Tests.Vectors;

namespace MPM.Plugins.Sts.Tests;

/// <summary>decode(encode(x)) == x over seeded random inputs, for STA and MISTY1 and every token kind built here.</summary>
public class RoundTripTests
{
    private const int Cases = 300;

    public static TheoryData<EncryptionAlgorithm> Algorithms => [EncryptionAlgorithm.Sta, EncryptionAlgorithm.Misty1];

    private static DecoderKey RandomKey(Random random, EncryptionAlgorithm algorithm)
    {
        var bytes = new byte[DecoderKeyGenerator.KeyLength(algorithm)];
        random.NextBytes(bytes);
        return new DecoderKey(algorithm, bytes);
    }

    private static (BaseDate BaseDate, DateTime Issued) RandomIssueMinute(Random random)
    {
        var baseDate = (BaseDate)new[] { 1993, 2014, 2035 }[random.Next(3)];
        return (baseDate, TokenIdentifier.ToIssueTime(random.Next(TokenIdentifier.MaxValue + 1), baseDate));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Ciphers_DecryptWhatTheyEncrypt(EncryptionAlgorithm algorithm)
    {
        var random = new Random(1);
        for (int i = 0; i < Cases; i++)
        {
            var key = RandomKey(random, algorithm);
            ulong block = (ulong)random.NextInt64() ^ (ulong)random.Next() << 63;
            Assert.Equal(block, key.Decrypt(key.Encrypt(block)));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void CreditTokens(EncryptionAlgorithm algorithm)
    {
        var random = new Random(2);
        for (int i = 0; i < Cases; i++)
        {
            var key = RandomKey(random, algorithm);
            var (baseDate, issued) = RandomIssueMinute(random);
            var subclass = (CreditSubclass)random.Next(3);
            int rnd = random.Next(16);
            // An amount the field represents exactly comes back unchanged.
            long units = TransferAmount.Decode((ushort)random.Next(0x10000));
            decimal amount = TransferAmount.UnitsToAmount(units);

            var decoded = StsTokens.Decode(StsTokens.Credit(key, baseDate, issued, subclass, amount, rnd), key, baseDate);

            Assert.True(decoded.CrcOk);
            Assert.Equal((0, (int)subclass, rnd, issued, amount), (decoded.TokenClass, decoded.Subclass, decoded.Rnd!.Value, decoded.IssuedAt!.Value, decoded.Amount!.Value));
        }
    }

    [Fact]
    public void AnyAmount_IsCreditedAtLeastInFull_AndAtMostOneMantissaStepMore()
    {
        var random = new Random(3);
        for (int i = 0; i < Cases; i++)
        {
            long units = random.NextInt64(TransferAmount.MaxUnits + 1);
            ushort field = TransferAmount.Encode(units);
            long credited = TransferAmount.Decode(field);
            Assert.InRange(credited - units, 0, (long)Math.Pow(10, field >> 14) - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ManagementTokens(EncryptionAlgorithm algorithm)
    {
        var random = new Random(4);
        ManagementSubclass[] subclasses = [.. Enum.GetValues<ManagementSubclass>()];
        for (int i = 0; i < Cases; i++)
        {
            var key = RandomKey(random, algorithm);
            var (baseDate, issued) = RandomIssueMinute(random);
            var subclass = subclasses[random.Next(subclasses.Length)];
            int rnd = random.Next(16);
            long value = subclass switch
            {
                ManagementSubclass.ClearCredit => random.Next(0x10000),
                ManagementSubclass.ClearTamperCondition => 0,
                _ => TransferAmount.Decode((ushort)random.Next(0x10000)),
            };

            var decoded = StsTokens.Decode(StsTokens.Management(key, baseDate, issued, subclass, value, rnd), key, baseDate);

            Assert.True(decoded.CrcOk);
            Assert.Equal((2, (int)subclass, rnd, issued, value), (decoded.TokenClass, decoded.Subclass, decoded.Rnd!.Value, decoded.IssuedAt!.Value, decoded.Value!.Value));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void KeyChangeTokens_CarryTheNewKeyAndFields(EncryptionAlgorithm newAlgorithm)
    {
        var random = new Random(5);
        for (int i = 0; i < Cases; i++)
        {
            var current = RandomKey(random, (EncryptionAlgorithm)new[] { 7, 11 }[random.Next(2)]);
            var newKey = RandomKey(random, newAlgorithm);
            var fields = new KeyChangeFields(random.Next(1, 10), random.Next(4), random.Next(100),
                random.Next(1_000_000).ToString("D6"), random.Next(256), random.Next(2) == 1);

            var sections = StsTokens.KeyChange(current, newKey, fields).Select(t => StsTokens.Decode(t, current, BaseDate.Year1993)).ToList();

            Assert.All(sections, s => Assert.True(s.CrcOk && s.TokenClass == 2));
            Assert.Equal(newAlgorithm == EncryptionAlgorithm.Misty1 ? [3, 4, 8, 9] : [3, 4], sections.Select(s => s.Subclass));
            ulong first = sections[0].Block, second = sections[1].Block;
            Assert.Equal(fields.KeyExpiryNumber, (int)(first >> 56 & 0xF) << 4 | (int)(second >> 56 & 0xF));
            Assert.Equal(fields.KeyRevision, (int)(first >> 52 & 0xF));
            Assert.Equal(fields.Rollover, (first >> 51 & 1) == 1);
            Assert.Equal(fields.KeyType, (int)(first >> 48 & 3));
            Assert.Equal(fields.TariffIndex, (int)(second >> 48 & 0xFF));

            // The key halves: section 1 the first 32 bits, section 2 the last, sections 3 and 4 the middle.
            var rebuilt = new byte[newKey.Bytes.Length];
            BinaryPrimitives.WriteUInt32BigEndian(rebuilt, (uint)(first >> 16));
            BinaryPrimitives.WriteUInt32BigEndian(rebuilt.AsSpan(rebuilt.Length - 4), (uint)(second >> 16));
            if (sections.Count == 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(rebuilt.AsSpan(4), (uint)(sections[2].Block >> 16));
                BinaryPrimitives.WriteUInt32BigEndian(rebuilt.AsSpan(8), (uint)(sections[3].Block >> 16));
                Assert.Equal(int.Parse(fields.SupplyGroupCode), (int)(sections[3].Block >> 48 & 0xFFF) << 12 | (int)(sections[2].Block >> 48 & 0xFFF));
            }
            Assert.Equal(newKey.ToHex(), Convert.ToHexString(rebuilt));
        }
    }

    [Fact]
    public void TestTokens()
    {
        var random = new Random(6);
        var anyKey = Dkga02();
        for (int i = 0; i < Cases; i++)
        {
            var subclass = (TestSubclass)random.Next(2);
            (int controlBits, int codeBits) = subclass == TestSubclass.InitiateMeterTest1 ? (36, 8) : (28, 16);
            ulong control = (ulong)random.NextInt64(1L << controlBits);
            int code = random.Next(1 << codeBits);

            var decoded = StsTokens.Decode(StsTokens.Test(subclass, control, code), anyKey, BaseDate.Year1993);

            Assert.True(decoded.CrcOk);
            Assert.Equal((1, (int)subclass, control, code), (decoded.TokenClass, decoded.Subclass, decoded.Control!.Value, decoded.ManufacturerCode!.Value));
        }
    }

    [Fact]
    public void TokenNumber_ParsesWhatItFormats()
    {
        var random = new Random(7);
        for (int i = 0; i < Cases; i++)
        {
            int tokenClass = random.Next(4);
            ulong block = (ulong)random.NextInt64() ^ (ulong)random.Next() << 63;
            string token = TokenNumber.Format(tokenClass, block);
            Assert.Equal(20, token.Length);
            Assert.Equal((tokenClass, block), TokenNumber.Parse(token));
        }
    }
}
