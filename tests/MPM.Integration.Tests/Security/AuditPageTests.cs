using System.Net;
using System.Text.RegularExpressions;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>The audit log page: admins only; admin actions, settings changes and API keys are on it; filters and paging.</summary>
public sealed class AuditPageTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    private static List<string[]> Rows(string html) =>
        Regex.Matches(html, "<tr class=\"audit-entry\">(.*?)</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Groups[1].Value, "<td>(.*?)</td>", RegexOptions.Singleline).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())
            .ToList();

    [Fact]
    public async Task AdminActionsSettingsChangesAndApiKeysAreListedAndFiltered()
    {
        var admin = await host.LoginAsync();
        var added = await MpmWebFactory.PostFormAsync(admin, "/Users?handler=Add",
            new() { ["email"] = "audited@example.com", ["password"] = "audited-password-1", ["role"] = "viewer" }, "/Users");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var saved = await MpmWebFactory.PostFormAsync(admin, "/Settings", new() { ["Input.Name"] = "Audited Power", ["Input.Currency"] = "TZS", ["Input.TimeZone"] = "Africa/Dar_es_Salaam" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await host.Factory.AddApiKeyAsync("audited-key");

        var html = await admin.GetStringAsync("/Audit");
        var rows = Rows(html);

        Assert.Contains(rows, r => r[1] == HostFixture.AdminEmail && r[2] == "user.add" && r[3].Contains("audited@example.com", StringComparison.Ordinal));
        Assert.Contains(rows, r => r[1] == HostFixture.AdminEmail && r[2] == "operator.settings" && r[3].Contains("Audited Power", StringComparison.Ordinal));
        Assert.Contains(rows, r => r[2] == "api-key.add" && r[3].StartsWith("audited-key (mpm_", StringComparison.Ordinal));
        // The key itself is never shown, only its prefix.
        Assert.DoesNotContain(rows, r => Regex.IsMatch(r[3], "mpm_[A-Za-z0-9]+_[A-Za-z0-9]{8,}"));

        var byKind = Rows(await admin.GetStringAsync("/Audit?Kind=api-key"));
        Assert.NotEmpty(byKind);
        Assert.All(byKind, r => Assert.StartsWith("api-key", r[2], StringComparison.Ordinal));

        var byUser = Rows(await admin.GetStringAsync("/Audit?Actor=ADMIN@example"));
        Assert.NotEmpty(byUser);
        Assert.All(byUser, r => Assert.Equal(HostFixture.AdminEmail, r[1]));

        Assert.Empty(Rows(await admin.GetStringAsync("/Audit?From=2001-01-01&To=2001-12-31")));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        Assert.Equal(rows.Count, Rows(await admin.GetStringAsync($"/Audit?From={today}&To={today}")).Count);
    }

    [Fact]
    public async Task TheLogIsPagedNewestFirst()
    {
        for (var i = 0; i < 55; i++)
        {
            await host.ExecuteAsync("INSERT INTO mpm.audit_log (at, actor, action, details) VALUES (now() - make_interval(mins => $1), 'pager@example.com', 'paging.test', $2)", i, $"entry {i}");
        }

        var admin = await host.LoginAsync();
        var first = await admin.GetStringAsync("/Audit?Kind=paging.test");
        var second = await admin.GetStringAsync("/Audit?Kind=paging.test&p=2");

        Assert.Equal(50, Rows(first).Count);
        Assert.Equal("entry 0", Rows(first)[0][3]);
        Assert.Contains("55 entries", first);
        Assert.Contains("id=\"audit-next\"", first);
        Assert.Equal(["entry 50", "entry 51", "entry 52", "entry 53", "entry 54"], Rows(second).Select(r => r[3]));
    }

    [Fact]
    public async Task OnlyAdminsSeeTheLog()
    {
        foreach (var email in new[] { HostFixture.ViewerEmail, HostFixture.ManagerEmail })
        {
            var response = await (await host.LoginAsync(email)).GetAsync("/Audit");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.AbsolutePath : response.Headers.Location.OriginalString, StringComparison.Ordinal);
        }
    }
}
