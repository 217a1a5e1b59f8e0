using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>Operators: login, lockout, roles, antiforgery, the Users page and logout, on the host with the default plugins.</summary>
public sealed class AuthAndPagesTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    private static readonly string[] AnonymousPages = ["/Account/Login", "/Account/AccessDenied", "/Error"];

    /// <summary>Every Razor page the host serves (its own and the plugins'), with route values filled in.</summary>
    private IReadOnlyList<string> AllPages() =>
        host.Factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<PageActionDescriptor>()
            .Select(p => "/" + Regex.Replace(p.AttributeRouteInfo!.Template!, @"\{[^}]+\}", "hello"))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var fields = new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password };
        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        return await MpmWebFactory.PostFormAsync(client, "/Account/Login", fields);
    }

    private Task<long> UserCountAsync() => host.ScalarAsync<long>("SELECT count(*) FROM mpm.users");

    [Fact]
    public async Task EveryPageButLoginSendsAnonymousUsersToTheLogin()
    {
        var pages = AllPages();
        // The shell's pages, the admin pages and the sample plugin's page are all among them.
        Assert.Contains("/Customers", pages);
        Assert.Contains("/Tickets/Categories", pages);
        Assert.Contains("/Plugins/Settings/hello", pages);
        Assert.Contains("/Users", pages);
        Assert.Contains("/plugins/hello", pages);
        var client = host.Factory.CreateBrowserLikeClient();

        foreach (var page in pages.Where(p => !AnonymousPages.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            var response = await client.GetAsync(page);

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page} answered {(int)response.StatusCode} to an anonymous user");
            Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
            Assert.Equal("?ReturnUrl=" + Uri.EscapeDataString(page), response.Headers.Location.Query);
        }

        // A path no page serves is no way in either.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/no-such-page")).StatusCode);
    }

    [Theory]
    [InlineData("/Account/Login", "login-form")]
    [InlineData("/Account/AccessDenied", null)]
    public async Task TheLoginAndAccessDeniedPagesAreOpen(string page, string? id)
    {
        var response = await host.Factory.CreateBrowserLikeClient().GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (id is not null)
        {
            Assert.Contains($"id=\"{id}\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AUserLogsInAndSeesTheShellWithTheSidebar()
    {
        var client = host.Factory.CreateBrowserLikeClient();
        var login = await PostLoginAsync(client, HostFixture.ViewerEmail, HostFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);

        var html = await client.GetStringAsync("/");

        Assert.Equal(HostFixture.ViewerEmail, Html.ElementText(html, "mpm-user-name"));
        Assert.Equal("viewer", Html.ElementText(html, "mpm-user-role"));
        foreach (var (title, url) in new[] { ("Clusters", "/"), ("Customers", "/Customers"), ("Meters", "/Meters"), ("Targets", "/Targets"), ("Transactions", "/Transactions"),
                     ("Tickets", "/Tickets"), ("Categories", "/Tickets/Categories"), ("Maintenance", "/Maintenance"), ("SMS", "/Sms"), ("Reports", "/Reports"),
                     ("Settings", "/Settings"), ("Hello sample", "/plugins/hello") })
        {
            Assert.Matches($"href=\"{Regex.Escape(url)}\" title=\"{Regex.Escape(title)}\"", html);
        }

        // Admin sections are not offered to a viewer.
        Assert.DoesNotContain("href=\"/Plugins\"", html);
        Assert.DoesNotContain("href=\"/Users\"", html);
        Assert.DoesNotContain("href=\"/ApiKeys\"", html);
        Assert.DoesNotContain("href=\"/Audit\"", html);
    }

    [Fact]
    public async Task AnAdminSeesThePluginsAndUsersEntries()
    {
        var client = await host.LoginAsync();

        var html = await client.GetStringAsync("/Customers");

        Assert.Contains("href=\"/Plugins\" title=\"Plugins\"", html);
        Assert.Contains("href=\"/Users\" title=\"Users\"", html);
        Assert.Contains("href=\"/ApiKeys\" title=\"API keys\"", html);
        Assert.Contains("href=\"/Audit\" title=\"Audit log\"", html);
        Assert.Matches("<a class=\"nav-link mpm-nav-link flex-grow-1 active\"\\s+href=\"/Customers\"", html);
    }

    [Fact]
    public async Task AfterLoginTheUserGoesBackWhereTheyWereGoing()
    {
        var client = host.Factory.CreateBrowserLikeClient();

        var response = await PostLoginAsync(client, HostFixture.ManagerEmail, HostFixture.Password, "/Customers");

        Assert.Equal("/Customers", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Customers")).StatusCode);
    }

    [Fact]
    public async Task AReturnUrlToAnotherSiteIsIgnored()
    {
        var response = await PostLoginAsync(host.Factory.CreateBrowserLikeClient(), HostFixture.ManagerEmail, HostFixture.Password, "https://evil.example/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(HostFixture.ViewerEmail, "wrong-password")]
    [InlineData("nobody@example.com", HostFixture.Password)]
    public async Task WrongCredentialsShowAnErrorAndDoNotLogIn(string email, string password)
    {
        var client = host.Factory.CreateBrowserLikeClient();

        var response = await PostLoginAsync(client, email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Wrong email or password.", Html.ElementText(await response.Content.ReadAsStringAsync(), "login-error"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccount()
    {
        const string email = "locked-out@example.com";
        await host.Factory.AddUserAsync(email, HostFixture.Password, "manager");
        var client = host.Factory.CreateBrowserLikeClient();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await PostLoginAsync(client, email, $"wrong-password-{attempt}");
            Assert.Equal("Wrong email or password.", Html.ElementText(await wrong.Content.ReadAsStringAsync(), "login-error"));
        }

        var fifth = await PostLoginAsync(client, email, "wrong-password-5");
        Assert.Contains("locked", Html.ElementText(await fifth.Content.ReadAsStringAsync(), "login-error"));

        // Even the right password is refused now.
        var right = await PostLoginAsync(client, email, HostFixture.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", Html.ElementText(await right.Content.ReadAsStringAsync(), "login-error"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'user.locked' AND actor = $1", email));
        Assert.True(await host.ScalarAsync<bool>("SELECT locked_until > now() FROM mpm.users WHERE email = $1", email));
        // Another account is not affected.
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(host.Factory.CreateBrowserLikeClient(), HostFixture.ManagerEmail, HostFixture.Password)).StatusCode);
    }

    [Fact]
    public async Task APasswordIsStoredHashed()
    {
        var hash = await host.ScalarAsync<string>("SELECT password_hash FROM mpm.users WHERE email = $1", HostFixture.AdminEmail);

        Assert.False(string.IsNullOrEmpty(hash));
        Assert.DoesNotContain(HostFixture.Password, hash);
    }

    [Fact]
    public async Task APostWithoutAnAntiforgeryTokenIsRefused()
    {
        var anonymous = host.Factory.CreateBrowserLikeClient();
        await anonymous.GetAsync("/Account/Login");
        var login = await anonymous.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = HostFixture.AdminEmail,
            ["Input.Password"] = HostFixture.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Null(login.Headers.Location);

        var admin = await host.LoginAsync();
        var users = await UserCountAsync();
        var add = await admin.PostAsync("/Users?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "forged@example.com",
            ["password"] = "long enough password",
            ["role"] = "admin",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Equal(users, await UserCountAsync());
    }

    [Theory]
    [InlineData(HostFixture.ViewerEmail, "/Plugins")]
    [InlineData(HostFixture.ViewerEmail, "/Users")]
    [InlineData(HostFixture.ViewerEmail, "/Plugins/Settings/hello")]
    [InlineData(HostFixture.ManagerEmail, "/Plugins")]
    [InlineData(HostFixture.ManagerEmail, "/Users")]
    [InlineData(HostFixture.ManagerEmail, "/Plugins/Settings/hello")]
    public async Task OnlyAdminsOpenTheAdminPages(string email, string page)
    {
        var client = await host.LoginAsync(email);

        var response = await client.GetAsync(page);

        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
            || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/Account/AccessDenied",
            $"{email} got {(int)response.StatusCode} {response.Headers.Location} for {page}");
        var admin = await host.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(page)).StatusCode);
    }

    [Fact]
    public async Task AViewerCannotPostToAnAdminPage()
    {
        var viewer = await host.LoginAsync(HostFixture.ViewerEmail);
        var token = MpmWebFactory.AntiforgeryToken(await viewer.GetStringAsync("/"));
        var users = await UserCountAsync();

        var response = await viewer.PostAsync("/Users?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "sneaky@example.com",
            ["password"] = "long enough password",
            ["role"] = "admin",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
            || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/Account/AccessDenied",
            $"got {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Equal(users, await UserCountAsync());
    }

    [Fact]
    public async Task AnAdminAddsAUserWhoCanThenLogIn()
    {
        var admin = await host.LoginAsync();

        var response = await MpmWebFactory.PostFormAsync(admin, "/Users?handler=Add",
            new() { ["email"] = "new.operator@example.com", ["password"] = "a new password", ["role"] = "manager" }, "/Users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await admin.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("User new.operator@example.com added.", Html.ElementText(page, "users-message"));
        Assert.Contains("<td>new.operator@example.com</td>", page);
        Assert.Equal("manager", await host.ScalarAsync<string>("SELECT role FROM mpm.users WHERE email = 'new.operator@example.com'"));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'user.add' AND actor = $1 AND details LIKE 'new.operator@example.com%'", HostFixture.AdminEmail));

        var newUser = await host.Factory.LoginAsync("new.operator@example.com", "a new password");
        Assert.Equal("manager", Html.ElementText(await newUser.GetStringAsync("/"), "mpm-user-role"));
    }

    [Theory]
    [InlineData("not-an-email", "long enough password", "viewer", "is not a valid email address")]
    [InlineData("short.password@example.com", "short", "viewer", "at least 8 characters")]
    [InlineData("bad.role@example.com", "long enough password", "root", "role must be one of")]
    [InlineData("VIEWER@example.com", "long enough password", "viewer", "already exists")]
    public async Task BadInputOnTheUsersPageShowsErrorsAndStoresNothing(string email, string password, string role, string error)
    {
        var admin = await host.LoginAsync();
        var users = await UserCountAsync();
        var audit = await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'user.add'");

        var response = await MpmWebFactory.PostFormAsync(admin, "/Users?handler=Add", new() { ["email"] = email, ["password"] = password, ["role"] = role }, "/Users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = Html.Decode(await response.Content.ReadAsStringAsync());
        Assert.Matches($"class=\"alert alert-danger users-error\">[^<]*{Regex.Escape(error)}", html);
        Assert.Equal(users, await UserCountAsync());
        Assert.Equal(audit, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'user.add'"));
    }

    [Fact]
    public async Task LogoutEndsTheSession()
    {
        var client = await host.LoginAsync(HostFixture.ManagerEmail);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var response = await MpmWebFactory.PostFormAsync(client, "/Account/Logout", [], "/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.OriginalString);
        var after = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/Account/Login", after.Headers.Location!.AbsolutePath);
    }
}
