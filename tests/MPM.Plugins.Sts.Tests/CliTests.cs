using MPM.Plugins.Sts.Cli;
using Xunit;
using static MPM.Plugins.Sts.Tests.Vectors;

namespace MPM.Plugins.Sts.Tests;

public class CliTests
{
    private static readonly string[] Sta02 =
        ["--vending-key", Vk64Hex, "--dkga", "02", "--ea", "07", "--base-date", "1993", "--sgc", "123456", "--ti", "01", "--krn", "1", "--kt", "2", "--pan", PanA];

    private static readonly string[] Misty04 =
        ["--vending-key", Vk160Hex, "--dkga", "04", "--ea", "11", "--base-date", "1993", "--sgc", "123457", "--ti", "01", "--krn", "1", "--kt", "2", "--pan", PanA];

    private static (int Code, string[] Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = StsCli.Run(args, stdout, stderr);
        return (code, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), stderr.ToString().Trim());
    }

    private static string[] With(string[] keyFlags, params string[] more) => [.. keyFlags, .. more];

    private static string RunOk(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code == 0, error);
        return output[^1];
    }

    [Theory]
    [InlineData("02", "07", PanA, "E653341F9D5BF36F")]
    [InlineData("02", "07", "00000000000", "E653341F9D5BF36F")]
    [InlineData("02", "07", PanB, "E94023262E9993C2")]
    public void Key_Dkga02(string dkga, string ea, string pan, string expected) =>
        Assert.Equal(expected, RunOk("key", "--vending-key", Vk64Hex, "--dkga", dkga, "--ea", ea, "--base-date", "1993",
            "--sgc", "123456", "--ti", "01", "--krn", "1", "--kt", "2", "--pan", pan));

    [Theory]
    [InlineData("11", "F94B6ED353C3BFDB113E2D3A7EA3C41D")]
    [InlineData("07", "AA4BAA8749C10D27")]
    public void Key_Dkga04_LengthFollowsEa(string ea, string expected) =>
        Assert.Equal(expected, RunOk("key", "--vending-key", Vk160Hex, "--dkga", "04", "--ea", ea, "--base-date", "1993",
            "--sgc", "123457", "--ti", "1", "--krn", "1", "--kt", "2", "--pan", PanA));

    [Fact]
    public void Credit_FromVendingKey() =>
        Assert.Equal("23716100501183194197", RunOk(With(["credit", .. Sta02], "--issued", "2004-03-01 13:55", "--subclass", "0", "--amount", "0.1", "--rnd", "5")));

    [Fact]
    public void Credit_FromDecoderKey() =>
        Assert.Equal("29054347139309851356", RunOk("credit", "--dk", "0ABC12DEF3456789", "--ea", "07", "--base-date", "1993",
            "--issued", "1996-03-25 13:55:22", "--subclass", "0", "--amount", "25.6", "--rnd", "11"));

    [Fact]
    public void Credit_Misty1() =>
        Assert.Equal("59386323472137426967", RunOk(With(["credit", .. Misty04], "--issued", "2004-03-01 13:00", "--subclass", "0", "--amount", "0.1", "--rnd", "5")));

    [Theory]
    [InlineData("0", "1000", "2004-03-28 09:01", "50901894209860263092")]
    [InlineData("1", "65535", "2004-03-28 09:15", "29511990995826640868")]
    [InlineData("6", "10", "2004-03-28 10:20", "30220533115430798647")]
    public void Manage(string subclass, string value, string issued, string expected) =>
        Assert.Equal(expected, RunOk(With(["manage", .. Sta02], "--issued", issued, "--subclass", subclass, "--value", value, "--rnd", "5")));

    [Fact]
    public void Manage_ClearTamper_NeedsNoValue() =>
        Assert.Equal("37037300014464855694", RunOk(With(["manage", .. Sta02], "--issued", "2004-03-28 10:00", "--subclass", "5", "--rnd", "5")));

    [Fact]
    public void KeyChange_Sta_TwoTokens()
    {
        var (code, output, _) = Run(With(["key-change", .. Sta02], "--new-ti", "02", "--new-krn", "1"));
        Assert.Equal(0, code);
        Assert.Equal(["51638423060042734509", "15361891762113502242"], output);
    }

    [Fact]
    public void KeyChange_Misty1_FourTokens()
    {
        string[] currentKrn2 = [.. Misty04];
        currentKrn2[Array.IndexOf(currentKrn2, "--krn") + 1] = "2";
        var (code, output, _) = Run(With(["key-change", .. currentKrn2], "--new-ti", "01", "--new-krn", "7", "--ken", "170"));
        Assert.Equal(0, code);
        // STSComplianceTests_STS_531_1_0_04_CTSA19.java step3CTSA19Test
        Assert.Equal(["65626097193581652906", "45273086784967754458", "60343449063848563711", "62570694794795906368"], output);
    }

    [Fact]
    public void KeyChange_ToTheNextBaseDate_WithRollover()
    {
        string[] current = ["--vending-key", Vk160Hex, "--dkga", "04", "--ea", "07", "--base-date", "2014", "--sgc", "123457",
            "--ti", "01", "--krn", "4", "--kt", "2", "--pan", PanA];
        var (code, output, _) = Run(With(["key-change", .. current], "--new-ti", "01", "--new-krn", "5", "--new-base-date", "2035", "--ro", "1"));
        Assert.Equal(0, code);
        Assert.Equal(["44163577485799480640", "26556810679164981397"], output); // 02_CTSA26 step1CTSA19Test
    }

    [Theory]
    [InlineData("0", "111111111111111111111111111111111111", "0", "56493153725450313471")]
    [InlineData("1", "1111111111111111111111111111", "0", "02305843005052951967")]
    [InlineData("0", "1000", "0", "18446744073843772416")]
    public void Test(string subclass, string control, string code, string expected) =>
        Assert.Equal(expected, RunOk("test", "--subclass", subclass, "--control", control, "--manufacturer-code", code));

    [Theory]
    [InlineData("23716100501183194197", "class=0 subclass=0 tid=5871715 amount=0.1 crc=ok")]
    [InlineData("71997443697501228179", "class=0 subclass=0 tid=5915565 amount=2000.4 crc=ok")]
    [InlineData("42502136492215507402", "class=0 subclass=1 tid=5871725 amount=0.1 crc=ok")]
    [InlineData("50901894209860263092", "class=2 subclass=0 tid=5910301 value=1000 crc=ok")]
    [InlineData("29511990995826640868", "class=2 subclass=1 tid=5910315 value=65535 crc=ok")]
    [InlineData("51638423060042734509", "class=2 subclass=3 block=3F12060B8643D717 crc=ok")]
    [InlineData("56493153725450313471", "class=1 subclass=0 control=111111111111111111111111111111111111 manufacturer-code=0 crc=ok")]
    public void Decode(string token, string expected) =>
        Assert.Equal(expected, RunOk(With(["decode", .. Sta02], "--token", token)));

    [Fact]
    public void Decode_Misty1() =>
        Assert.Equal("class=0 subclass=0 tid=5871660 amount=0.1 crc=ok", RunOk(With(["decode", .. Misty04], "--token", "59386323472137426967")));

    [Fact]
    public void Decode_WithTheWrongKey_ExitsWithCode1()
    {
        var (code, output, _) = Run("decode", "--dk", "E94023262E9993C2", "--ea", "07", "--base-date", "1993", "--token", "23716100501183194197");
        Assert.Equal(1, code);
        Assert.EndsWith("crc=fail", output[^1]);
    }

    [Theory]
    [InlineData("unknown flag --colour for 'sts credit'", "--rnd", "5", "--colour", "red")]
    [InlineData("missing --rnd: a random number, 0 to 15")]
    [InlineData("--rnd expects a random number, 0 to 15, not 'five'", "--rnd", "five")]
    [InlineData("--rnd expects a random number, 0 to 15, not '16'", "--rnd", "16")]
    [InlineData("--rnd expects a random number, 0 to 15, not '-1'", "--rnd", "-1")]
    [InlineData("--rnd is given twice", "--rnd", "5", "--rnd", "6")]
    [InlineData("--rnd needs a value: a random number, 0 to 15", "--rnd")]
    [InlineData("unexpected argument 'extra': every value must follow a --flag", "--rnd", "5", "extra")]
    public void Credit_BadFlags_ExitWithCode2(string message, params string[] rest)
    {
        var (code, output, error) = Run(With(["credit", .. Sta02], ["--issued", "2004-03-01 13:55", "--subclass", "0", "--amount", "0.1", .. rest]));
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"sts credit: {message}", error);
    }

    [Theory]
    [InlineData("--amount", "0.05", "--amount expects an amount in kWh with at most one decimal, 0 to 1820162.4 (e.g. 25.6), not '0.05'")]
    [InlineData("--amount", "1820162.5", "--amount expects an amount in kWh with at most one decimal, 0 to 1820162.4 (e.g. 25.6), not '1820162.5'")]
    [InlineData("--amount", "1e3", "--amount expects an amount in kWh with at most one decimal, 0 to 1820162.4 (e.g. 25.6), not '1e3'")]
    [InlineData("--issued", "01/03/2004 13:55", "--issued expects the issue time as \"yyyy-MM-dd HH:mm\" or \"yyyy-MM-dd HH:mm:ss\", not '01/03/2004 13:55'")]
    [InlineData("--issued", "1992-12-31 23:59", "issue time 1992-12-31 23:59 is before the base date 1993-01-01")]
    [InlineData("--issued", "2024-11-24 20:16", "issue time 2024-11-24 20:16 is past the TID rollover of base date 1993 (last valid minute 2024-11-24 20:15); move the meter to the next base date with a key change")]
    [InlineData("--pan", "47000268748", "--pan: meter number 47000268748 has a wrong check digit (expected 9)")]
    [InlineData("--sgc", "12345", "--sgc expects a 6-digit supply group code, not '12345'")]
    [InlineData("--ea", "09", "--ea expects 07 (STA) or 11 (MISTY1), not '09'")]
    [InlineData("--ea", "11", "EA11 needs a 128-bit decoder key, not 64-bit (DKGA02 keys are 64-bit: use DKGA04)")]
    [InlineData("--base-date", "2000", "--base-date expects 1993, 2014 or 2035, not '2000'")]
    [InlineData("--vending-key", "ABAB", "--vending-key expects 16 hex digits for DKGA02, not 'ABAB'")]
    [InlineData("--subclass", "3", "--subclass expects 0 (electricity), 1 (water) or 2 (gas), not '3'")]
    public void Credit_BadValues_ExitWithCode2(string flag, string value, string message)
    {
        var args = new List<string> { "credit" };
        args.AddRange(Sta02);
        args.AddRange(["--issued", "2004-03-01 13:55", "--subclass", "0", "--amount", "0.1", "--rnd", "5"]);
        args[args.IndexOf(flag) + 1] = value;
        var (code, _, error) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Equal($"sts credit: {message}", error);
    }

    [Theory]
    [InlineData("sts decode: --token expects a 20-digit token, not '2371610050118319419'", "decode", "--token", "2371610050118319419")]
    [InlineData("sts decode: token 99999999999999999999 is too large: it must be below 2^66", "decode", "--token", "99999999999999999999")]
    [InlineData("sts manage: --subclass expects 0 (max power limit), 1 (clear credit), 5 (clear tamper) or 6 (max phase power unbalance limit), not '3'", "manage", "--issued", "2004-03-01 13:55", "--subclass", "3", "--value", "1", "--rnd", "5")]
    [InlineData("sts manage: clear tamper carries no value: it must be 0", "manage", "--issued", "2004-03-01 13:55", "--subclass", "5", "--value", "1", "--rnd", "5")]
    [InlineData("sts key-change: missing --new-krn: the new key revision number, 1 to 9", "key-change", "--new-ti", "2")]
    public void OtherVerbs_BadValues_ExitWithCode2(string message, string verb, params string[] more)
    {
        var (code, _, error) = Run(With([verb, .. Sta02], more));
        Assert.Equal(2, code);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("sts test: --control expects at most 36 binary digits for subclass 0, not '12'", "test", "--subclass", "0", "--control", "12", "--manufacturer-code", "0")]
    [InlineData("sts test: --control expects at most 28 binary digits for subclass 1, not '11111111111111111111111111111'", "test", "--subclass", "1", "--control", "11111111111111111111111111111", "--manufacturer-code", "0")]
    [InlineData("sts test: --manufacturer-code expects a manufacturer code, 0 to 255 for subclass 0 and 0 to 65535 for subclass 1, not '256'", "test", "--subclass", "0", "--control", "1", "--manufacturer-code", "256")]
    [InlineData("sts key: unknown flag --dk for 'sts key'", "key", "--dk", "E653341F9D5BF36F")]
    [InlineData("sts credit: give either --dk or the vending key flags, not both (found --dk and --vending-key)", "credit", "--dk", "E653341F9D5BF36F", "--vending-key", Vk64Hex, "--ea", "07", "--base-date", "1993")]
    [InlineData("sts credit: --dk expects 32 hex digits for EA11, not 'E653341F9D5BF36F'", "credit", "--dk", "E653341F9D5BF36F", "--ea", "11", "--base-date", "1993")]
    [InlineData("sts key-change: key-change derives the new key, so it needs the vending key flags instead of --dk", "key-change", "--dk", "E653341F9D5BF36F")]
    [InlineData("sts refund: unknown verb 'refund': use key, credit, manage, key-change, test or decode", "refund")]
    public void MiscellaneousErrors_ExitWithCode2(string message, params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal(message, error);
    }

    [Fact]
    public void NoArguments_PrintsUsage_AndExitsWithCode2()
    {
        var (code, _, error) = Run();
        Assert.Equal(2, code);
        Assert.StartsWith("usage:", error);
    }
}
