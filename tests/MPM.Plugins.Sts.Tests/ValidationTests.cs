using MPM.Plugins.Sts.Engine;
using Xunit;
using static MPM.Plugins.Sts.Tests.Vectors;

namespace MPM.Plugins.Sts.Tests;

public class ValidationTests
{
    [Fact]
    public void MeterNumber_WithWrongCheckDigit_IsRefused()
    {
        var error = Assert.Throws<FormatException>(() => MeterPan.Parse("47000268748"));
        Assert.Equal("meter number 47000268748 has a wrong check digit (expected 9)", error.Message);
        Assert.StartsWith("60072747000268749", MeterPan.Parse("47000268749").Digits);
    }

    [Theory]
    [InlineData("0100000000009", "meter number 0100000000009 has a wrong check digit (expected 8)")]
    [InlineData("600727000000000008", "PAN 600727000000000008 has a wrong check digit (expected 9)")]
    [InlineData("600727000000000019", "meter number 00000000001 has a wrong check digit (expected 0)")]
    [InlineData("123456000000000009", "PAN 123456000000000009 must start with IIN 600727 or 0000")]
    [InlineData("1234567890", "meter number or PAN '1234567890' must be 11, 13 or 18 decimal digits")]
    [InlineData("1234567890411111111113", "meter number or PAN '1234567890411111111113' must be 11, 13 or 18 decimal digits")] // 02_CTSA17
    [InlineData("4700026874a", "meter number or PAN '4700026874a' must be 11, 13 or 18 decimal digits")]
    public void BadMeterNumbersAndPans_AreRefused(string input, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => MeterPan.Parse(input)).Message);

    [Theory]
    [InlineData("")]
    [InlineData("2371610050118319419")]     // 19 digits
    [InlineData("237161005011831941970")]   // 21 digits
    [InlineData("2371610050118319419x")]
    [InlineData("2371 6100 5011 8319 4197")]
    [InlineData("-2371610050118319419")]
    [InlineData("73786976294838206464")]    // 2^66
    [InlineData("99999999999999999999")]
    public void BadTokenStrings_AreRefused(string token) =>
        Assert.Throws<FormatException>(() => StsTokens.Decode(token, Dkga02(), BaseDate.Year1993));

    [Fact]
    public void LargestTokenNumber_IsAccepted() =>
        Assert.Equal((3, ulong.MaxValue), TokenNumber.Parse("73786976294838206463")); // 2^66 − 1

    [Fact]
    public void IssueTime_BeforeTheBaseDate_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TokenIdentifier.FromIssueTime(Time("2013-12-31 23:59"), BaseDate.Year2014));
        Assert.Contains("before the base date 2014-01-01", error.Message);
    }

    [Fact]
    public void IssueTime_PastTheRollover_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            StsTokens.Credit(Dkga02(), BaseDate.Year1993, Time("2024-11-24 20:16"), CreditSubclass.Electricity, 1m, 0));
        Assert.Contains("past the TID rollover of base date 1993 (last valid minute 2024-11-24 20:15)", error.Message);
    }

    [Theory]
    [InlineData("0.05")]
    [InlineData("-0.1")]
    [InlineData("1820162.5")]
    public void BadAmounts_AreRefused(string amount) =>
        Assert.ThrowsAny<ArgumentException>(() =>
            StsTokens.Credit(Dkga02(), BaseDate.Year1993, Time("2004-03-01 13:55"), CreditSubclass.Electricity, Amount(amount), 0));

    [Theory]
    [InlineData(-1)]
    [InlineData(16)]
    public void Rnd_IsFourBits(int rnd) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            StsTokens.Credit(Dkga02(), BaseDate.Year1993, Time("2004-03-01 13:55"), CreditSubclass.Electricity, 1m, rnd));

    [Fact]
    public void DrawRnd_StaysInFourBits()
    {
        var seen = Enumerable.Range(0, 2000).Select(_ => StsTokens.DrawRnd()).ToHashSet();
        Assert.All(seen, r => Assert.InRange(r, 0, 15));
        Assert.True(seen.Count > 8);
    }

    [Theory]
    [InlineData(ManagementSubclass.ClearCredit, 0x10000)]
    [InlineData(ManagementSubclass.ClearTamperCondition, 1)]
    [InlineData(ManagementSubclass.SetMaximumPowerLimit, 18201625)]
    public void ManagementValues_OutOfRange_AreRefused(ManagementSubclass subclass, long value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            StsTokens.Management(Dkga02(), BaseDate.Year1993, Time("2004-03-01 13:55"), subclass, value, 0));

    [Fact]
    public void Misty1_NeedsA128BitKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new DecoderKey(EncryptionAlgorithm.Misty1, Dkga02().Bytes));
        Assert.Contains("EA11 needs a 128-bit decoder key", error.Message);
    }

    [Fact]
    public void Decode_WithTheWrongKey_ReportsACrcFailure()
    {
        string token = StsTokens.Credit(Dkga02(), BaseDate.Year1993, Time("2004-03-01 13:55"), CreditSubclass.Electricity, 0.1m, Rnd);
        Assert.True(StsTokens.Decode(token, Dkga02(), BaseDate.Year1993).CrcOk);
        Assert.False(StsTokens.Decode(token, Dkga02(PanB), BaseDate.Year1993).CrcOk);
    }

    [Fact]
    public void CommonKey_IgnoresTheMeterNumber()
    {
        var a = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga02, Vk64,
            new DecoderKeyParameters(MeterPan.Parse("47000268749"), "123456", 1, 1, 3, BaseDate.Year1993, EncryptionAlgorithm.Sta));
        var b = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga02, Vk64,
            new DecoderKeyParameters(MeterPan.Parse(PanA), "123456", 1, 1, 3, BaseDate.Year1993, EncryptionAlgorithm.Sta));
        Assert.Equal(a.ToHex(), b.ToHex());
        Assert.Equal(0x0072700000000000UL, DecoderKeyGenerator.PanBlock(
            new DecoderKeyParameters(MeterPan.Parse("47000268749"), "123456", 1, 1, 3, BaseDate.Year1993, EncryptionAlgorithm.Sta)));
    }

    [Fact]
    public void KeyParameters_AreCheckedAlsoWhenCopiedWithChanges()
    {
        var parameters = Parameters(EncryptionAlgorithm.Sta);
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters with { TariffIndex = 100 });
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters with { KeyRevision = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters with { KeyType = 4 });
        Assert.Throws<ArgumentException>(() => parameters with { SupplyGroupCode = "12345a" });
        Assert.Throws<ArgumentOutOfRangeException>(() => parameters with { BaseDate = (BaseDate)2000 });
    }
}
