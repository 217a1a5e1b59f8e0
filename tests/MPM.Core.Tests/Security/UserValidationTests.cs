using MPM.Core;
using MPM.Web.Security;
using Xunit;

namespace MPM.Core.Tests.Security;

public sealed class UserValidationTests
{
    [Theory]
    [InlineData("admin@example.com", "change-me-now", "admin")]
    [InlineData("m.manager@example.org", "12345678", "manager")]
    [InlineData("  viewer@example.com  ", "long enough", "viewer")]
    public void AcceptsGoodInput(string email, string password, string role) =>
        Assert.Empty(UserService.Validate(email, password, role));

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("Asha <asha@example.com>")]
    [InlineData("a b@example.com")]
    public void RejectsABadEmail(string email)
    {
        var error = Assert.Single(UserService.Validate(email, "long enough", Roles.Viewer));

        Assert.Contains("not a valid email address", error);
    }

    [Fact]
    public void RequiresEightCharactersOfPassword()
    {
        Assert.Contains("at least 8 characters", Assert.Single(UserService.Validate("a@example.com", "1234567", Roles.Admin)));
        Assert.Empty(UserService.Validate("a@example.com", "12345678", Roles.Admin));
    }

    [Fact]
    public void ANullPasswordMeansUnchangedAndIsNotChecked() =>
        Assert.Empty(UserService.Validate("a@example.com", null, Roles.Manager));

    [Theory]
    [InlineData("root")]
    [InlineData("Admin")]
    [InlineData("")]
    public void RejectsAnUnknownRole(string role)
    {
        var error = Assert.Single(UserService.Validate("a@example.com", "long enough", role));

        Assert.Contains("admin, manager, viewer", error);
    }

    [Fact]
    public void ReportsEveryProblemAtOnce() => Assert.Equal(3, UserService.Validate("nope", "short", "root").Count);

    [Fact]
    public void RolesAreTheThreeWebRolesAndTheFieldAgent()
    {
        Assert.Equal(["admin", "manager", "viewer", "field-agent"], Roles.All);
        Assert.Equal(["admin", "manager", "viewer"], Roles.Web);
        Assert.True(Roles.IsValid("field-agent"));
        Assert.True(Roles.IsValid("viewer"));
        Assert.False(Roles.IsValid("superuser"));
    }
}
