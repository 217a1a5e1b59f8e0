using System.Net;
using System.Text.RegularExpressions;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>The API keys page: admins create a key (shown on that one response only) and revoke keys; both are audited by prefix.</summary>
public sealed class ApiKeysPageTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    private static string Key(string html) => WebUtility.HtmlDecode(Regex.Match(html, "id=\"api-key-value\" value=\"([^\"]+)\"").Groups[1].Value);

    private static List<string> KeyRows(string html) =>
        Regex.Matches(html, "<tr class=\"api-key\"(.*?)</tr>", RegexOptions.Singleline).Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>|\\s+", " "))).ToList();

    private async Task<HttpStatusCode> RestAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/plugins");
        request.Headers.Add("X-Api-Key", key);
        return (await host.Factory.CreateClient().SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task AnAdminCreatesAKeySeenOnceThenRevokesItAndTheNextRequestIsRefused()
    {
        var admin = await host.LoginAsync();

        var created = await MpmWebFactory.PostFormAsync(admin, "/ApiKeys?handler=Create", new() { ["name"] = "page-made" }, "/ApiKeys");
        var createdHtml = await created.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl?.ToString());
        var key = Key(createdHtml);
        Assert.Matches("^mpm_([0-9a-f]{8})_[A-Za-z0-9_=-]{20,}$", key);
        var prefix = key.Split('_')[1];
        Assert.Single(Regex.Matches(createdHtml, Regex.Escape(key)));

        // Afterwards the key is listed by name and prefix only, with who made it.
        var list = await admin.GetStringAsync("/ApiKeys");
        Assert.DoesNotContain(key, list);
        Assert.DoesNotContain(key[..20], list);
        var row = Assert.Single(KeyRows(list), r => r.Contains($"mpm_{prefix}_…", StringComparison.Ordinal));
        Assert.Contains("page-made", row);
        Assert.Contains(HostFixture.AdminEmail, row);
        Assert.Contains("active", row);
        Assert.Equal(HttpStatusCode.OK, await RestAsync(key));

        var id = await host.ScalarAsync<long>("SELECT id FROM mpm.api_keys WHERE key_prefix = $1", prefix);
        var revoked = await MpmWebFactory.PostFormAsync(admin, "/ApiKeys?handler=Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/ApiKeys");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await RestAsync(key));
        var after = await admin.GetStringAsync(revoked.Headers.Location);
        Assert.Contains($"API key page-made (mpm_{prefix}_…) revoked.", WebUtility.HtmlDecode(after));
        var revokedRow = Assert.Single(KeyRows(after), r => r.Contains($"mpm_{prefix}_…", StringComparison.Ordinal));
        Assert.Contains("revoked", revokedRow);
        Assert.Contains($"by {HostFixture.AdminEmail}", revokedRow);
        Assert.DoesNotContain(">Revoke<", Regex.Match(after, $"data-prefix=\"{prefix}\".*?</tr>", RegexOptions.Singleline).Value);

        // Revoking it again changes nothing and says so.
        var again = await MpmWebFactory.PostFormAsync(admin, "/ApiKeys?handler=Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/ApiKeys");
        Assert.Contains("was already revoked", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'api-key.revoke' AND details = $1", $"page-made (mpm_{prefix}_…)"));

        // Both are in the audit log, by the admin, with the prefix only.
        var audit = WebUtility.HtmlDecode(await admin.GetStringAsync("/Audit?Kind=api-key"));
        Assert.Contains($"page-made (mpm_{prefix}_…)", audit);
        Assert.Equal(2, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE actor = $1 AND action IN ('api-key.add', 'api-key.revoke') AND details = $2", HostFixture.AdminEmail, $"page-made (mpm_{prefix}_…)"));
        Assert.DoesNotContain(key, audit);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE details LIKE '%' || $1 || '%'", key[13..]));
    }

    [Theory]
    [InlineData("", "A key needs a name")]
    [InlineData("   ", "A key needs a name")]
    public async Task AKeyWithoutANameIsRefused(string name, string error)
    {
        var admin = await host.LoginAsync();
        var before = await host.ScalarAsync<long>("SELECT count(*) FROM mpm.api_keys");

        var response = await MpmWebFactory.PostFormAsync(admin, "/ApiKeys?handler=Create", new() { ["name"] = name }, "/ApiKeys");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, html);
        Assert.DoesNotContain("id=\"api-key-value\"", html);
        Assert.Equal(before, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.api_keys"));
    }

    [Fact]
    public async Task RevokingAnUnknownKeySaysSo()
    {
        var admin = await host.LoginAsync();

        var response = await MpmWebFactory.PostFormAsync(admin, "/ApiKeys?handler=Revoke", new() { ["id"] = "987654321" }, "/ApiKeys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No such API key.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(HostFixture.ViewerEmail)]
    [InlineData(HostFixture.ManagerEmail)]
    public async Task OnlyAdminsManageKeys(string email)
    {
        var key = await host.Factory.AddApiKeyAsync("not-theirs");
        var id = await host.ScalarAsync<long>("SELECT id FROM mpm.api_keys WHERE key_prefix = $1", key.Split('_')[1]);
        var operatorClient = await host.LoginAsync(email);
        var token = MpmWebFactory.AntiforgeryToken(await operatorClient.GetStringAsync("/"));

        var page = await operatorClient.GetAsync("/ApiKeys");
        var create = await operatorClient.PostAsync("/ApiKeys?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "sneaky", ["__RequestVerificationToken"] = token }));
        var revoke = await operatorClient.PostAsync("/ApiKeys?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token }));

        foreach (var response in new[] { page, create, revoke })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.StartsWith("/Account/AccessDenied", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.api_keys WHERE name = 'sneaky'"));
        Assert.Equal(HttpStatusCode.OK, await RestAsync(key));
    }

    [Fact]
    public async Task RevokingWithoutAnAntiforgeryTokenIsRefused()
    {
        var key = await host.Factory.AddApiKeyAsync("kept");
        var id = await host.ScalarAsync<long>("SELECT id FROM mpm.api_keys WHERE key_prefix = $1", key.Split('_')[1]);
        var admin = await host.LoginAsync();

        var response = await admin.PostAsync("/ApiKeys?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await RestAsync(key));
    }
}
