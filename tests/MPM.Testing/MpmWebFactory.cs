using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MPM.Web.Security;

namespace MPM.Testing;

/// <summary>
/// The real host on a test database. Plugins come from the test's bin/plugins folder; a test may point the host at
/// its own plugins.json. <see cref="StartOnRealPort"/> serves on loopback over real HTTP (for browsers).
/// </summary>
public class MpmWebFactory(TestDatabase database, string? pluginsFile = null) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Mpm", Database.ConnectionString);
        builder.UseSetting("Plugins:Root", Path.Combine(AppContext.BaseDirectory, "plugins"));
        builder.UseSetting("Plugins:File", pluginsFile ?? Path.Combine(AppContext.BaseDirectory, "plugins.json"));
        // Every test client comes from one address, and a test class logs its few users in many times a minute: the
        // login limits would refuse them. Tests of the limits set their own.
        builder.UseSetting("RateLimits:LoginPerIpPerMinute", "10000");
        builder.UseSetting("RateLimits:LoginPerUserPerMinute", "10000");
    }

    /// <summary>Serves on 127.0.0.1 with a free port and returns the base URL.</summary>
    public string StartOnRealPort()
    {
        UseKestrel(0);
        StartServer();
        return ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public async Task AddUserAsync(string email, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var (user, errors) = await scope.ServiceProvider.GetRequiredService<UserService>().AddAsync(email, password, role, "test");
        if (user is null)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }
    }

    public async Task<string> AddApiKeyAsync(string name = "test")
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(name, "test");
    }

    /// <summary>A cookie-keeping client that does not follow redirects.</summary>
    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Logs in through the login form and returns the signed-in client.</summary>
    public async Task<HttpClient> LoginAsync(string email, string password)
    {
        var client = CreateBrowserLikeClient();
        var response = await PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"login of {email} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>GETs the page, takes its antiforgery token and posts the form fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string? pageUrl = null)
    {
        var page = await client.GetStringAsync(pageUrl ?? url);
        var token = AntiforgeryToken(page);
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public static string AntiforgeryToken(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"") is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException("no antiforgery token on the page");
}
