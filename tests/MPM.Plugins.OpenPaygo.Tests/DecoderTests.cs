using MPM.Plugins.OpenPaygo.Engine;
using Xunit;

namespace MPM.Plugins.OpenPaygo.Tests;

public class DecoderTests
{
    private static readonly OpenPaygoTokenType[] AllTypes = Enum.GetValues<OpenPaygoTokenType>();

    [Fact]
    public void DecodesWhatTheEncoderMakesForRandomInputs()
    {
        var random = new Random(20240601);
        for (int i = 0; i < 300; i++)
        {
            byte[] key = new byte[16];
            random.NextBytes(key);
            uint startingCode = (uint)random.Next(1_000_000_000);
            int count = random.Next(2000);
            OpenPaygoTokenType type = AllTypes[random.Next(AllTypes.Length)];
            bool extended = random.Next(2) == 1;
            bool restricted = random.Next(2) == 1;
            int? value = type is OpenPaygoTokenType.AddTime or OpenPaygoTokenType.SetTime
                ? RandomTimeValue(random, type, extended)
                : null;

            (int newCount, string token) = OpenPaygoEncoder.Generate(key, startingCode, count, type, value, extended, restricted);
            OpenPaygoDecodeResult decoded = OpenPaygoDecoder.Decode(token, key, startingCode, count, [], restricted);

            string input = $"case {i}: {type} {value} count {count} extended {extended} restricted {restricted}";
            Assert.True(decoded.Status == OpenPaygoDecodeStatus.Valid, input);
            Assert.True((type, value, newCount, newCount) == (decoded.Type, decoded.Value, decoded.Count, decoded.LastCount), input);
        }
    }

    [Fact]
    public void StartingCodeFromKeyIsUsableForTokens()
    {
        uint startingCode = StartingCode.FromKey(Device1.Key);
        (_, string token) = OpenPaygoEncoder.Generate(Device1.Key, startingCode, 1, OpenPaygoTokenType.AddTime, 7, false, false);

        Assert.InRange(startingCode, 0u, 999_999_999u);
        Assert.Equal(7, OpenPaygoDecoder.Decode(token, Device1.Key, startingCode, 1, [], false).Value);
        Assert.Equal(OpenPaygoDecodeStatus.Invalid, OpenPaygoDecoder.Decode(token, Device1.Key, Device1.StartingCode, 1, [], false).Status);
    }

    [Fact]
    public void RefusesAReusedCount()
    {
        string token = AddTime(fromCount: 1, days: 3);

        OpenPaygoDecodeResult first = Decode(token, lastCount: 1, usedCounts: []);
        OpenPaygoDecodeResult second = Decode(token, first.LastCount, first.UsedCounts);

        Assert.Equal(OpenPaygoDecodeStatus.Valid, first.Status);
        Assert.Equal(2, first.LastCount);
        Assert.Equal(OpenPaygoDecodeStatus.AlreadyUsed, second.Status);
        Assert.Null(second.Value);
    }

    [Fact]
    public void AcceptsAnOlderUnusedAddTimeTokenOnce()
    {
        string older = AddTime(fromCount: 1, days: 3);
        string newer = AddTime(fromCount: 2, days: 4);

        OpenPaygoDecodeResult afterNewer = Decode(newer, lastCount: 1, usedCounts: []);
        OpenPaygoDecodeResult afterOlder = Decode(older, afterNewer.LastCount, afterNewer.UsedCounts);
        OpenPaygoDecodeResult olderAgain = Decode(older, afterOlder.LastCount, afterOlder.UsedCounts);

        Assert.Equal((OpenPaygoDecodeStatus.Valid, 4), (afterNewer.Status, afterNewer.LastCount));
        Assert.Equal((OpenPaygoDecodeStatus.Valid, 2, 4), (afterOlder.Status, afterOlder.Count, afterOlder.LastCount));
        Assert.Equal([2, 4], afterOlder.UsedCounts);
        Assert.Equal(OpenPaygoDecodeStatus.AlreadyUsed, olderAgain.Status);
    }

    [Fact]
    public void ASetTimeTokenUsesUpTheOlderAddTimeTokens()
    {
        string addTime = AddTime(fromCount: 1, days: 3);
        (_, string setTime) = OpenPaygoEncoder.Generate(Device1.Key, Device1.StartingCode, 2, OpenPaygoTokenType.SetTime, 10, false, false);

        OpenPaygoDecodeResult afterSetTime = Decode(setTime, lastCount: 1, usedCounts: []);

        Assert.Equal((OpenPaygoDecodeStatus.Valid, 3), (afterSetTime.Status, afterSetTime.LastCount));
        Assert.Equal(OpenPaygoDecodeStatus.AlreadyUsed, Decode(addTime, afterSetTime.LastCount, afterSetTime.UsedCounts).Status);
    }

    // The device is at count 1: tokens up to count 65 (101 for counter sync) are in the window.
    [Theory]
    [InlineData(OpenPaygoTokenType.AddTime, 5, 63, 64, OpenPaygoDecodeStatus.Valid)]
    [InlineData(OpenPaygoTokenType.AddTime, 5, 65, 66, OpenPaygoDecodeStatus.Invalid)]
    [InlineData(OpenPaygoTokenType.SetTime, 5, 64, 65, OpenPaygoDecodeStatus.Valid)]
    [InlineData(OpenPaygoTokenType.SetTime, 5, 66, 67, OpenPaygoDecodeStatus.Invalid)]
    [InlineData(OpenPaygoTokenType.DisablePayg, null, 66, 67, OpenPaygoDecodeStatus.Invalid)]
    [InlineData(OpenPaygoTokenType.CounterSync, null, 99, 101, OpenPaygoDecodeStatus.Valid)]
    [InlineData(OpenPaygoTokenType.CounterSync, null, 101, 103, OpenPaygoDecodeStatus.Invalid)]
    public void RefusesAJumpBeyondTheWindow(OpenPaygoTokenType type, int? value, int fromCount, int newCount, OpenPaygoDecodeStatus expected)
    {
        (int generatedCount, string token) = OpenPaygoEncoder.Generate(Device1.Key, Device1.StartingCode, fromCount, type, value, false, false);

        Assert.Equal(newCount, generatedCount);
        Assert.Equal(expected, Decode(token, lastCount: 1, usedCounts: []).Status);
    }

    [Fact]
    public void ACounterSyncTokenBelowTheCounterIsAcceptedWithoutLoweringIt()
    {
        (_, string token) = OpenPaygoEncoder.Generate(Device1.Key, Device1.StartingCode, 10, OpenPaygoTokenType.CounterSync, null, false, false);

        OpenPaygoDecodeResult decoded = Decode(token, lastCount: 40, usedCounts: []);

        Assert.Equal((OpenPaygoDecodeStatus.Valid, 11, 40), (decoded.Status, decoded.Count, decoded.LastCount));
        Assert.Equal(Enumerable.Range(24, 17), decoded.UsedCounts);
    }

    [Theory]
    [InlineData("588224012", false)] // the device 1 add-time token with its last digit changed
    [InlineData("58822401", false)]
    [InlineData("58822401x", false)]
    [InlineData("3141144322311350", true)]
    [InlineData("314114432231135", true)] // a digit outside 1..4
    public void RefusesAWrongOrMalformedToken(string token, bool restricted)
    {
        OpenPaygoDecodeResult decoded = OpenPaygoDecoder.Decode(token, Device1.Key, Device1.StartingCode, Device1.Count, [], restricted);

        Assert.Equal(OpenPaygoDecodeStatus.Invalid, decoded.Status);
        Assert.Equal(Device1.Count, decoded.LastCount);
    }

    [Theory]
    [InlineData(OpenPaygoTokenType.AddTime, null, false)]
    [InlineData(OpenPaygoTokenType.AddTime, -1, false)]
    [InlineData(OpenPaygoTokenType.AddTime, 996, false)]
    [InlineData(OpenPaygoTokenType.SetTime, 1_000_000, true)]
    [InlineData(OpenPaygoTokenType.SetTime, 998, true)]
    [InlineData(OpenPaygoTokenType.DisablePayg, 1, false)]
    [InlineData(OpenPaygoTokenType.CounterSync, 0, true)]
    public void EncoderRefusesAValueOutOfRange(OpenPaygoTokenType type, int? value, bool extended)
    {
        Assert.Throws<ArgumentException>(
            () => OpenPaygoEncoder.Generate(Device1.Key, Device1.StartingCode, 1, type, value, extended, false));
    }

    [Fact]
    public void EncoderRefusesABadKeyStartingCodeOrCount()
    {
        Assert.Throws<ArgumentException>(() => OpenPaygoEncoder.Generate(new byte[15], 1, 1, OpenPaygoTokenType.AddTime, 1, false, false));
        Assert.Throws<ArgumentException>(() => OpenPaygoEncoder.Generate(Device1.Key, 1_000_000_000, 1, OpenPaygoTokenType.AddTime, 1, false, false));
        Assert.Throws<ArgumentException>(() => OpenPaygoEncoder.Generate(Device1.Key, 1, -1, OpenPaygoTokenType.AddTime, 1, false, false));
        Assert.Throws<ArgumentException>(() => OpenPaygoEncoder.Generate(Device1.Key, 1, OpenPaygoEncoder.MaxCount, OpenPaygoTokenType.AddTime, 1, false, false));
    }

    private static int RandomTimeValue(Random random, OpenPaygoTokenType type, bool extended)
    {
        int value = random.Next((extended ? 999_999 : 995) + 1);
        // 998 and 999 are reserved for set-time because odd counts use them for disable-payg and counter-sync.
        return type == OpenPaygoTokenType.SetTime && value is 998 or 999 ? value - 2 : value;
    }

    private static string AddTime(int fromCount, int days) =>
        OpenPaygoEncoder.Generate(Device1.Key, Device1.StartingCode, fromCount, OpenPaygoTokenType.AddTime, days, false, false).Token;

    private static OpenPaygoDecodeResult Decode(string token, int lastCount, IReadOnlyCollection<int> usedCounts) =>
        OpenPaygoDecoder.Decode(token, Device1.Key, Device1.StartingCode, lastCount, usedCounts, false);
}
