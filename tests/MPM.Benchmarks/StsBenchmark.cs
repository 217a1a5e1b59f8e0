using System.Diagnostics;
using System.Globalization;
using MPM.Plugins.Sts.Engine;

namespace MPM.Benchmarks;

/// <summary>
/// Credit tokens per second on one thread. "ea07"/"ea11" derive the decoder key once per meter, as a
/// vending system caching it would; "ea07+dkga02"/"ea11+dkga04" derive it again for every token.
/// </summary>
public static class StsBenchmark
{
    private static readonly DateTime FirstIssue = new(2024, 1, 1, 8, 0, 0, DateTimeKind.Unspecified);

    public static void Run(TextWriter output, int seconds = 3)
    {
        ArgumentNullException.ThrowIfNull(output);
        var pan = MeterPan.Parse("600727000000000009");
        byte[] vk64 = Convert.FromHexString("ABABABABABABABAB");
        byte[] vk160 = Convert.FromHexString("ABABABABABABABAB949494949494949401234567");
        var sta = new DecoderKeyParameters(pan, "123456", 1, 1, 2, BaseDate.Year2014, EncryptionAlgorithm.Sta);
        var misty1 = new DecoderKeyParameters(pan, "123457", 1, 1, 2, BaseDate.Year2014, EncryptionAlgorithm.Misty1);

        var staKey = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga02, vk64, sta);
        var misty1Key = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, vk160, misty1);

        Report(output, "ea07", seconds, i => Token(staKey, i));
        Report(output, "ea11", seconds, i => Token(misty1Key, i));
        Report(output, "ea07+dkga02", seconds, i => Token(DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga02, vk64, sta), i));
        Report(output, "ea11+dkga04", seconds, i => Token(DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, vk160, misty1), i));
    }

    // Each token gets its own minute and amount, as consecutive sales would.
    private static string Token(DecoderKey key, int i) =>
        StsTokens.Credit(key, BaseDate.Year2014, FirstIssue.AddMinutes(i % 1_000_000), CreditSubclass.Electricity, i % 100_000 / 10m, i & 15);

    private static void Report(TextWriter output, string name, int seconds, Func<int, string> makeToken)
    {
        for (int i = 0; i < 2_000; i++)
            makeToken(i);

        long checksum = 0;
        int count = 0;
        var budget = TimeSpan.FromSeconds(seconds);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < budget)
        {
            for (int i = 0; i < 1_000; i++, count++)
                checksum += makeToken(count)[19];
        }
        stopwatch.Stop();

        double perSecond = count / stopwatch.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sts-credit {name} tokens/s={perSecond:F0}"));
        GC.KeepAlive(checksum);
    }
}
