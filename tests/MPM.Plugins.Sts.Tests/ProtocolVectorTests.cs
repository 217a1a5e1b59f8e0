using System.Buffers.Binary;
using MPM.Plugins.Sts.Engine;
using Xunit;
using static MPM.Plugins.Sts.Tests.Vectors;

namespace MPM.Plugins.Sts.Tests;

/// <summary>The STS vectors of PROTOCOLS.md §7 (#1–#21) and the worked examples of §1.</summary>
public class ProtocolVectorTests
{
    private static readonly DecoderKeyParameters PanAParameters = new(MeterPan.Parse(PanA), "123456", 1, 1, 2, BaseDate.Year1993, EncryptionAlgorithm.Sta);

    [Fact]
    public void V01_Dkga02_DecoderKeyAndIntermediates()
    {
        Assert.Equal(0x0072700000000000UL, DecoderKeyGenerator.PanBlock(PanAParameters));
        Assert.Equal(0x2123456011FFFFFFUL, DecoderKeyGenerator.ControlBlock(PanAParameters));
        ulong x = DecoderKeyGenerator.PanBlock(PanAParameters) ^ DecoderKeyGenerator.ControlBlock(PanAParameters);
        Assert.Equal(0x2151356011FFFFFFUL, x);

        byte[] dk = DecoderKeyGenerator.Dkga02(Vk64, PanAParameters);
        Assert.Equal("E653341F9D5BF36F", Convert.ToHexString(dk));
        // DK = DES_VK(X) ⊕ X ⊕ VK, so the DES output is DK ⊕ X ⊕ VK.
        ulong desOutput = BinaryPrimitives.ReadUInt64BigEndian(dk) ^ x ^ BinaryPrimitives.ReadUInt64BigEndian(Vk64);
        Assert.Equal(0x6CA9AAD4270FA73BUL, desOutput);
        // NectarAPI stores the same key byte-reversed.
        Assert.Equal("6FF35B9D1F3453E6", Convert.ToHexString(dk.Reverse().ToArray()));
    }

    [Fact]
    public void V02_Dkga02Sta_CreditToken_WithIntermediates()
    {
        var issued = Time("2004-03-01 13:55");
        int tid = TokenIdentifier.FromIssueTime(issued, BaseDate.Year1993);
        Assert.Equal(5871715, tid);
        Assert.Equal(0x599863, tid);

        ushort amount = TransferAmount.Encode(TransferAmount.AmountToUnits(0.1m));
        Assert.Equal(0x0001, amount);

        Assert.Equal(0xE619, StsCrc.Modbus([0x00, 0x05, 0x59, 0x98, 0x63, 0x00, 0x01]));
        Assert.Equal(0x19E6, StsCrc.Field(0, 0x0559986300010000UL));

        ulong block = StsTokens.Seal(0, 0, StsTokens.TimedPayload(BaseDate.Year1993, issued, Rnd, amount));
        Assert.Equal(0x05599863000119E6UL, block);

        ulong encrypted = StaCipher.Encrypt(block, 0xE653341F9D5BF36FUL);
        Assert.Equal(0x492083C0AE7CE455UL, encrypted);

        // Class bits 0,0 replace bits 28,27 (0,1); the displaced bits become bits 65,64.
        string token = TokenNumber.Format(0, encrypted);
        Assert.Equal("23716100501183194197", token);
        Assert.Equal(new UInt128(1, 0x492083C0A67CE455UL), UInt128.Parse(token));
        Assert.Equal((0, 0x492083C0AE7CE455UL), TokenNumber.Parse(token));

        Assert.Equal(token, StsTokens.Credit(Dkga02(), BaseDate.Year1993, issued, CreditSubclass.Electricity, 0.1m, Rnd));
    }

    [Fact]
    public void V03_Dkga02Sta_CreditToken_PanB()
    {
        var parameters = PanAParameters with { Pan = MeterPan.Parse(PanB) };
        Assert.Equal(0x0000100000000008UL, DecoderKeyGenerator.PanBlock(parameters));
        Assert.Equal("E94023262E9993C2", Convert.ToHexString(DecoderKeyGenerator.Dkga02(Vk64, parameters)));
        Assert.Equal("67206107716095682372",
            StsTokens.Credit(Dkga02(PanB), BaseDate.Year1993, Time("2004-03-01 14:00"), CreditSubclass.Electricity, 0.1m, Rnd));
    }

    [Fact]
    public void V04_TestToken_Subclass0_AllControlBits() =>
        Assert.Equal("56493153725450313471", StsTokens.Test(TestSubclass.InitiateMeterTest1, (1UL << 36) - 1, 0));

    [Fact]
    public void V05_TestToken_Subclass1_AllControlBits() =>
        Assert.Equal("02305843005052951967", StsTokens.Test(TestSubclass.InitiateMeterTest2, (1UL << 28) - 1, 0));

    [Theory]
    [InlineData("2004-04-01 00:30", "25.6", "26456622012185850752")]
    [InlineData("2004-04-01 00:35", "1638.3", "02194538019157867319")]
    [InlineData("2004-04-01 00:40", "1638.4", "49848950875249585071")]
    [InlineData("2004-04-01 00:45", "2000.0", "71997443697501228179")]
    [InlineData("2004-04-01 00:50", "18022.3", "58589277912776864555")]
    [InlineData("2004-04-01 00:55", "18022.4", "16328229234437142451")]
    [InlineData("2004-04-01 01:44", "181862.3", "45001756646344378677")]
    [InlineData("2004-04-01 01:49", "181862.4", "15810488151857362998")]
    [InlineData("2004-04-01 01:54", "1820162.4", "42222423067848970276")]
    public void V06to14_AmountEncoding_ElectricityTokens(string issued, string kwh, string expected) =>
        Assert.Equal(expected, StsTokens.Credit(Dkga02(), BaseDate.Year1993, Time(issued), CreditSubclass.Electricity, Amount(kwh), Rnd));

    [Theory]
    [InlineData("0.1", 0x0001, "0.1")]
    [InlineData("25.6", 0x0100, "25.6")]
    [InlineData("1638.3", 0x3FFF, "1638.3")]
    [InlineData("1638.4", 0x4000, "1638.4")]
    [InlineData("2000.0", 0x416A, "2000.4")]
    [InlineData("18022.3", 0x8000, "18022.4")]
    [InlineData("18022.4", 0x8000, "18022.4")]
    [InlineData("181862.3", 0xC000, "181862.4")]
    [InlineData("181862.4", 0xC000, "181862.4")]
    [InlineData("1820162.4", 0xFFFF, "1820162.4")]
    public void AmountTable_EncodesWithCeilingMantissa_AndDecodesToWhatTheMeterCredits(string kwh, int field, string credited)
    {
        ushort encoded = TransferAmount.Encode(TransferAmount.AmountToUnits(Amount(kwh)));
        Assert.Equal(field, encoded);
        Assert.Equal(Amount(credited), TransferAmount.UnitsToAmount(TransferAmount.Decode(encoded)));
    }

    [Fact]
    public void V15_StaWithGivenKey_WithIntermediates()
    {
        var key = DecoderKey.FromHex("0ABC12DEF3456789", EncryptionAlgorithm.Sta);
        var issued = Time("1996-03-25 13:55:22");
        Assert.Equal(1698595, TokenIdentifier.FromIssueTime(issued, BaseDate.Year1993));

        ulong block = StsTokens.Seal(0, 0, StsTokens.TimedPayload(BaseDate.Year1993, issued, 0xB, TransferAmount.Encode(256)));
        Assert.Equal(0x0B19EB230100C207UL, block);
        Assert.Equal(0x9335C6C96B7352DCUL, key.Encrypt(block));
        Assert.Equal(0x0B19EB230100C207UL, key.Decrypt(0x9335C6C96B7352DCUL));
        Assert.Equal("29054347139309851356", TokenNumber.Format(0, 0x9335C6C96B7352DCUL));
        Assert.Equal("29054347139309851356", StsTokens.Credit(key, BaseDate.Year1993, issued, CreditSubclass.Electricity, 25.6m, 0xB));
    }

    [Fact]
    public void V16_Dkga04Sta_CreditToken()
    {
        var key = Dkga04(EncryptionAlgorithm.Sta);
        Assert.Equal("AA4BAA8749C10D27", key.ToHex());
        Assert.Equal("15697331168573253829",
            StsTokens.Credit(key, BaseDate.Year1993, Time("2009-01-01 08:00"), CreditSubclass.Electricity, 0.1m, Rnd));
    }

    [Fact]
    public void V17_Dkga04_MessageAndMisty1Key()
    {
        var parameters = Parameters(EncryptionAlgorithm.Misty1);
        Assert.Equal("04023034023933023131023031000406313233343537013201311236303037323730303030303030303030303900000080",
            Convert.ToHexString(DecoderKeyGenerator.Dkga04Message(parameters)));
        Assert.Equal("F94B6ED353C3BFDB113E2D3A7EA3C41D", Convert.ToHexString(DecoderKeyGenerator.Dkga04(Vk160, parameters)));
    }

    [Fact]
    public void V18_Dkga04Misty1_CreditToken() =>
        Assert.Equal("59386323472137426967",
            StsTokens.Credit(Dkga04(EncryptionAlgorithm.Misty1), BaseDate.Year1993, Time("2004-03-01 13:00"), CreditSubclass.Electricity, 0.1m, Rnd));

    [Theory]
    [InlineData(0x0123456789abcdefUL, 0x8b1da5f56ab3d07cUL)]
    [InlineData(0xfedcba9876543210UL, 0x04b68240b13be95dUL)]
    public void V19_Misty1_Rfc2994(ulong plaintext, ulong ciphertext)
    {
        var cipher = new Misty1Cipher(Convert.FromHexString("00112233445566778899aabbccddeeff"));
        Assert.Equal(ciphertext, cipher.Encrypt(plaintext));
        Assert.Equal(plaintext, cipher.Decrypt(ciphertext));
    }

    [Fact]
    public void V20_Crc16Modbus_CheckValue() => Assert.Equal(0x4B37, StsCrc.Modbus("123456789"u8));

    [Theory]
    [InlineData("60072700000000000", 9)]
    [InlineData("00000100000000008", 2)]
    [InlineData("0000000000", 0)]      // §1.2 DRN check digit "00"+"00000000"
    [InlineData("010000000000", 8)]    // §1.2 DRN check digit "0100"+"00000000"
    public void V21_LuhnCheckDigit(string payload, int expected) => Assert.Equal(expected, Luhn.CheckDigit(payload));

    [Theory]
    [InlineData("00000000000", PanA)]
    [InlineData("0100000000008", PanB)]
    [InlineData(PanA, PanA)]
    public void MeterPan_FromMeterNumberOrPan(string input, string pan) => Assert.Equal(pan, MeterPan.Parse(input).Digits);

    [Theory]
    [InlineData(BaseDate.Year1993, "2024-11-24 20:15")]
    [InlineData(BaseDate.Year2014, "2045-11-24 20:15")]
    public void TidRollover_LastValidMinute(BaseDate baseDate, string lastMinute)
    {
        Assert.Equal(Time(lastMinute), TokenIdentifier.LastIssueMinute(baseDate));
        Assert.Equal(TokenIdentifier.MaxValue, TokenIdentifier.FromIssueTime(Time(lastMinute).AddSeconds(59), baseDate));
        Assert.Equal(Time(lastMinute).AddMinutes(1), TokenIdentifier.RolloverAt(baseDate));
        Assert.Equal(TimeSpan.FromMinutes(90), TokenIdentifier.TimeUntilRollover(baseDate, Time(lastMinute).AddMinutes(-89)));
    }
}
