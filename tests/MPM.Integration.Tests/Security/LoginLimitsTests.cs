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
