using MPM.Web.Cli;
using Xunit;

namespace MPM.Core.Tests.Cli;

public sealed class CliArgsTests
{
    private static readonly string[] Flags = ["--email", "--password", "--role"];

    [Fact]
    public void ParsesFlagValuePairsInAnyOrder()
    {
        var args = CliArgs.Parse(["--role", "admin", "--email", "a@example.com", "--password", "-starts-with-dash"], Flags);

        Assert.Equal("a@example.com", args.Required("--email"));
        Assert.Equal("admin", args.Required("--role"));
        Assert.Equal("-starts-with-dash", args.Required("--password"));
    }

    [Fact]
    public void NoArgumentsAreFineUntilOneIsRequired()
    {
        var args = CliArgs.Parse([], Flags);

        var error = Assert.Throws<CliUsageException>(() => args.Required("--email"));
        Assert.Equal("--email is required", error.Message);
    }

    [Fact]
    public void AVerbWithoutFlagsRejectsAnyArgument()
    {
        var error = Assert.Throws<CliUsageException>(() => CliArgs.Parse(["--force"]));

        Assert.Contains("unknown argument '--force'", error.Message);
    }

    [Theory]
    [InlineData("--name")]
    [InlineData("-e")]
    [InlineData("email")]
    [InlineData("--EMAIL")]
    public void AnUnknownFlagIsAUsageErrorNamingIt(string flag)
    {
        var error = Assert.Throws<CliUsageException>(() => CliArgs.Parse(["--email", "a@example.com", flag, "x"], Flags));

        Assert.Contains($"unknown argument '{flag}'", error.Message);
        Assert.Contains("--email, --password, --role", error.Message);
    }

    [Fact]
    public void AFlagAtTheEndWithoutAValueIsAUsageError()
    {
        var error = Assert.Throws<CliUsageException>(() => CliArgs.Parse(["--email", "a@example.com", "--role"], Flags));

        Assert.Equal("--role needs a value", error.Message);
    }

    [Fact]
    public void AFlagFollowedByAnotherFlagHasNoValue()
    {
        var error = Assert.Throws<CliUsageException>(() => CliArgs.Parse(["--email", "--role", "admin"], Flags));

        Assert.Equal("--email needs a value", error.Message);
    }

    [Fact]
    public void ARepeatedFlagIsAUsageError()
    {
        var error = Assert.Throws<CliUsageException>(() => CliArgs.Parse(["--role", "admin", "--role", "viewer"], Flags));

        Assert.Equal("--role is given twice", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ABlankValueDoesNotSatisfyRequired(string value)
    {
        var args = CliArgs.Parse(["--email", value], Flags);

        Assert.Throws<CliUsageException>(() => args.Required("--email"));
    }
}
