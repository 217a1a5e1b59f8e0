using MPM.Integration.Tests.Support;
using Xunit;

namespace MPM.Integration.Tests.Sts;

/// <summary>The token plugins' CLI verbs run as a process of the built host, as an operator runs them; no database is needed.</summary>
public sealed class TokenCliProcessTests
{
    private static readonly string[] KeyFlags = ["--vending-key", "ABABABABABABABAB", "--dkga", "02", "--ea", "07", "--base-date", "1993", "--sgc", "123456", "--ti", "1", "--krn", "1", "--kt", "2", "--pan", "600727000000000009"];

    // A connection string to nowhere: these verbs must not touch a database.
    private static readonly Dictionary<string, string> NoDatabase = new() { ["ConnectionStrings__Mpm"] = "Host=/nonexistent;Database=none" };

    private static Task<ProcessResult> RunAsync(params string[] args) => HostProcess.RunAsync(args, NoDatabase);

    [Fact]
    public async Task Sts_key_prints_the_decoder_key_of_vector_1()
    {
        var result = await RunAsync(["sts", "key", .. KeyFlags]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("E653341F9D5BF36F", result.Lines[^1]);
    }

    [Fact]
    public async Task Sts_credit_and_decode_reproduce_vector_2()
    {
        var credit = await RunAsync(["sts", "credit", .. KeyFlags, "--issued", "2004-03-01 13:55", "--subclass", "0", "--amount", "0.1", "--rnd", "5"]);
        Assert.True(credit.ExitCode == 0, credit.ToString());
        Assert.Equal("23716100501183194197", credit.Lines[^1]);

        var decode = await RunAsync(["sts", "decode", .. KeyFlags, "--token", "23716100501183194197"]);
        Assert.True(decode.ExitCode == 0, decode.ToString());
        Assert.Equal("class=0 subclass=0 tid=5871715 amount=0.1 crc=ok", decode.Lines[^1]);
    }

    [Fact]
    public async Task Sts_decode_with_the_wrong_key_fails_the_crc_with_exit_1()
    {
        string[] otherKey = [.. KeyFlags[..^1], "000001000000000082"];
        var decode = await RunAsync(["sts", "decode", .. otherKey, "--token", "23716100501183194197"]);
        Assert.Equal(1, decode.ExitCode);
        Assert.EndsWith("crc=fail", decode.Lines[^1]);
    }

    [Fact]
    public async Task Sts_test_token_reproduces_vector_4()
    {
        var result = await RunAsync("sts", "test", "--subclass", "0", "--control", new string('1', 36), "--manufacturer-code", "0");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("56493153725450313471", result.Lines[^1]);
    }

    [Fact]
    public async Task A_bad_flag_or_value_exits_2_with_a_message()
    {
        var unknown = await RunAsync(["sts", "credit", .. KeyFlags, "--bogus", "1"]);
        var badPan = await RunAsync(["sts", "key", .. KeyFlags[..^1], "600727000000000008"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--bogus", unknown.Stderr);
        Assert.Equal(2, badPan.ExitCode);
        Assert.Contains("check digit", badPan.Stderr);
    }

    [Fact]
    public async Task Openpaygo_token_prints_the_count_then_the_token()
    {
        var result = await RunAsync("openpaygo", "token", "--key", "bc41ec9530f6dac86b1a29ab82edc5fb", "--starting-code", "516959010", "--count", "1", "--type", "add-time", "--value", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["count=2", "588224011"], result.Lines.TakeLast(2));

        var bad = await RunAsync("openpaygo", "token", "--key", "zz", "--count", "1", "--type", "add-time", "--value", "1");
        Assert.Equal(2, bad.ExitCode);
    }
}
