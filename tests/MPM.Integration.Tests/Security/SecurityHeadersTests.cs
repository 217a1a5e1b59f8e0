using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>The content security policy and the other protective headers, HSTS over HTTPS, and the cookie flags.</summary>
public sealed class SecurityHeadersTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/")]
    [InlineData("/Customers")]
    public async Task PagesCarryTheContentSecurityPolicyAndTheOtherHeaders(string page)
    {
        var client = await host.LoginAsync(HostFixture.ViewerEmail);

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: https://tile.openstreetmap.org",
                     "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'" })
        {
            Assert.Contains(directive, csp);
        }

        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        // Plain HTTP: no HSTS (it would be ignored, and would lock out a local http deployment).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("https://{s}.tile.example.org/{z}/{x}/{y}.png", "img-src 'self' data: https://*.tile.example.org;")]
    [InlineData("http://tiles.local:8080/{z}/{x}/{y}.png", "img-src 'self' data: http://tiles.local:8080;")]
    [InlineData(null, "img-src 'self' data: https://tile.openstreetmap.org;")]
    public void TheConfiguredTileHostMayServeImages(string? tileUrl, string expected) =>
        Assert.Contains(expected, MPM.Web.Security.SecurityHeaders.ContentSecurityPolicy(tileUrl));

    [Fact]
    public async Task OverHttpsTheAnswersCarryHstsAndTheCookiesAreSecureAndHttpOnly()
    {
        var client = host.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://mpm.example.org"), AllowAutoRedirect = false, HandleCookies = true });

        var page = await client.GetAsync("/Account/Login");
        Assert.Contains("max-age=", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mpm.antiforgery=", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", antiforgery, StringComparison.OrdinalIgnoreCase);

        var token = MpmWebFactory.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = HostFixture.ViewerEmail, ["Input.Password"] = HostFixture.Password, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var auth = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mpm.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OverPlainHttpTheAuthCookieIsStillHttpOnly()
    {
        var client = host.Factory.CreateBrowserLikeClient();
        var login = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = HostFixture.ViewerEmail, ["Input.Password"] = HostFixture.Password });

        var auth = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mpm.auth=", StringComparison.Ordinal));
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
    }
}
