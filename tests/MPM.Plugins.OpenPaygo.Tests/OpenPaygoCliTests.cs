using MPM.Plugins.OpenPaygo.Cli;
using MPM.Plugins.OpenPaygo.Engine;
using Xunit;

namespace MPM.Plugins.OpenPaygo.Tests;

public class OpenPaygoCliTests
{
    private const string Device1Args = $"token --key {Device1.KeyHex} --starting-code 516959010 --count 1";

    [Theory]
    [InlineData("--type add-time --value 1", "count=2", "588224011")]
    [InlineData("--type set-time --value 995 --extended", "count=3", "765385960005")]
    [InlineData("--restricted-digits --type disable-payg", "count=3", "134231231341431")]
    [InlineData("--type counter-sync --extended --restricted-digits", "count=3", "32414242234422312132")]
    public void PrintsTheNewCountThenTheToken(string flags, string countLine, string token)
    {
        (int exitCode, string stdout, string stderr) = Run($"{Device1Args} {flags}");

        Assert.Equal(0, exitCode);
        Assert.Equal([countLine, token], Lines(stdout));
        Assert.Empty(stderr);
    }

    [Fact]
    public void WithoutAStartingCodeUsesTheOneFromTheKey()
    {
        (int exitCode, string stdout, _) = Run($"token --key {Device1.KeyHex} --count 4 --type add-time --value 30");
        var expected = OpenPaygoEncoder.Generate(
            Device1.Key, StartingCode.FromKey(Device1.Key), 4, OpenPaygoTokenType.AddTime, 30, false, false);

        Assert.Equal(0, exitCode);
        Assert.Equal([$"count={expected.NewCount}", expected.Token], Lines(stdout));
    }

    [Theory]
    [InlineData("")]
    [InlineData("decode")]
    [InlineData($"{Device1Args} --type add-time --value 1 --colour blue")]
    [InlineData($"{Device1Args} --type add-time --value")]
    [InlineData($"{Device1Args} --type add-time --value 1 --value 2")]
    [InlineData("token --starting-code 516959010 --count 1 --type add-time --value 1")]
    [InlineData("token --key bc41ec9530f6dac86b1a29ab82edc5f --count 1 --type add-time --value 1")]
    [InlineData("token --key zz41ec9530f6dac86b1a29ab82edc5fb --count 1 --type add-time --value 1")]
    [InlineData($"token --key {Device1.KeyHex} --type add-time --value 1")]
    [InlineData($"token --key {Device1.KeyHex} --count -1 --type add-time --value 1")]
    [InlineData($"token --key {Device1.KeyHex} --count one --type add-time --value 1")]
    [InlineData($"token --key {Device1.KeyHex} --starting-code 1000000000 --count 1 --type add-time --value 1")]
    [InlineData($"{Device1Args} --value 1")]
    [InlineData($"{Device1Args} --type add_time --value 1")]
    [InlineData($"{Device1Args} --type add-time")]
    [InlineData($"{Device1Args} --type set-time")]
    [InlineData($"{Device1Args} --type add-time --value 996")]
    [InlineData($"{Device1Args} --type set-time --value 1000000 --extended")]
    [InlineData($"{Device1Args} --type disable-payg --value 0")]
    [InlineData($"{Device1Args} --type counter-sync --value 5")]
    public void RefusesBadArgumentsWithExitCode2(string commandLine)
    {
        (int exitCode, string stdout, string stderr) = Run(commandLine);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("openpaygo: ", Assert.Single(Lines(stderr)));
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string commandLine)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = OpenPaygoCli.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
