using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>Rate limits (login per IP and per user name, plugin endpoints per IP) and the logged lockout.</summary>
public sealed class LoginLimitsTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password) =>
        MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    [Fact]
    public async Task LoginPostsAreLimitedPerUserName()
    {
        using var limited = host.Factory.WithWebHostBuilder(b => b.UseSetting("RateLimits:LoginPerUserPerMinute", "3"));
        var client = limited.CreateClient(new() { AllowAutoRedirect = false });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostLoginAsync(client, "nobody@example.com", "wrong")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostLoginAsync(client, "NOBODY@example.com", "wrong")).StatusCode);
        // Another user name from the same client is not held back.
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(client, HostFixture.ViewerEmail, HostFixture.Password)).StatusCode);
    }

    [Fact]
    public async Task LoginPostsAndPluginEndpointsAreLimitedPerIp()
    {
        using var limited = host.Factory.WithWebHostBuilder(b => b.UseSetting("RateLimits:LoginPerIpPerMinute", "2").UseSetting("RateLimits:PluginsPerIpPerMinute", "3"));
        var client = limited.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await PostLoginAsync(client, "a@example.com", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostLoginAsync(client, "b@example.com", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostLoginAsync(client, "c@example.com", "wrong")).StatusCode);
        // The login page itself still opens.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/plugins/hello/greeting")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/plugins/hello/greeting")).StatusCode);
        // Pages outside /plugins are not limited.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/Customers")).StatusCode);
    }

    [Theory]
    [InlineData("RateLimits:LoginPerIpPerMinute")]
    [InlineData("RateLimits:LoginPerUserPerMinute")]
    public async Task ABrowserOverALoginLimitGetsAPageSayingWhenToTryAgainAndAScriptOneLine(string limit)
    {
        using var limited = host.Factory.WithWebHostBuilder(b => b.UseSetting(limit, "1"));
        var browser = limited.CreateClient(new() { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        Assert.Equal(HttpStatusCode.OK, (await PostLoginAsync(browser, "someone@example.com", "wrong")).StatusCode);

        var page = await PostLoginAsync(browser, "someone@example.com", "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var seconds = RetryAfterSeconds(page);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<p id=\"retry-message\">Too many attempts, try again in {seconds} seconds.</p>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Account/Login\"", html, StringComparison.Ordinal);

        // A client that does not ask for HTML gets the same in one line of text.
        var script = limited.CreateClient(new() { AllowAutoRedirect = false });
        var line = await PostLoginAsync(script, "someone@example.com", "wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, line.StatusCode);
        Assert.Equal("text/plain", line.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"Too many attempts, try again in {RetryAfterSeconds(line)} seconds.", await line.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APluginCallerOverTheLimitGetsOneLineAndRetryAfter()
    {
        using var limited = host.Factory.WithWebHostBuilder(b => b.UseSetting("RateLimits:PluginsPerIpPerMinute", "1"));
        var client = limited.CreateClient(new() { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/plugins/hello/greeting")).StatusCode);

        var refused = await client.GetAsync("/plugins/hello/greeting");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("text/plain", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"Too many requests, try again in {RetryAfterSeconds(refused)} seconds.", await refused.Content.ReadAsStringAsync());
    }

    /// <summary>The Retry-After header in whole seconds: within the one-minute window.</summary>
    private static int RetryAfterSeconds(HttpResponseMessage response)
    {
        var seconds = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(seconds, 1, 60);
        return seconds;
    }

    [Fact]
    public async Task FailedLoginsAndTheLockoutAreLoggedWithoutThePassword()
    {
        const string email = "logged-lockout@example.com";
        const string wrong = "not-the-password-4711";
        var logs = new LogCollector();
        using var logged = host.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILoggerProvider>(logs)));
        await host.Factory.AddUserAsync(email, HostFixture.Password, "viewer");
        var client = logged.CreateClient(new() { AllowAutoRedirect = false });

        for (var i = 0; i < 5; i++)
        {
            await PostLoginAsync(client, email, wrong);
        }

        var locked = await PostLoginAsync(client, email, HostFixture.Password);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var lines = logs.Lines.ToList();
        Assert.Equal(5, lines.Count(l => l.StartsWith($"Failed login for {email}", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith($"Account {email} locked until", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"Login refused for locked account {email}", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(wrong, StringComparison.Ordinal) || l.Contains(HostFixture.Password, StringComparison.Ordinal));
    }

    private sealed class LogCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));

        public void Dispose()
        {
        }
    }
}
