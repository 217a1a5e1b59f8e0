using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MPM.Web.Security;

/// <summary>
/// Limits on the doors open to the internet, per client IP and fixed one-minute windows, all configurable under
/// RateLimits: login posts (LoginPerIpPerMinute) and plugin endpoints such as provider callbacks, gateways and webhooks
/// (PluginsPerIpPerMinute). Login posts are also limited per user name (LoginPerUserPerMinute, see <see cref="LoginThrottle"/>).
/// Over the limit the answer is 429.
/// </summary>
public static class RateLimits
{
    public const string Section = "RateLimits";

    public static IServiceCollection AddMpmRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var loginPerIp = configuration.GetValue($"{Section}:LoginPerIpPerMinute", 30);
        var pluginsPerIp = configuration.GetValue($"{Section}:PluginsPerIpPerMinute", 1200);
        services.AddSingleton(new LoginThrottle(configuration.GetValue($"{Section}:LoginPerUserPerMinute", 10)));
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                var path = context.Request.Path;
                if (HttpMethods.IsPost(context.Request.Method) && path.StartsWithSegments("/Account/Login", StringComparison.OrdinalIgnoreCase))
                {
                    return Window("login:" + ip, loginPerIp);
                }

                return path.StartsWithSegments("/plugins", StringComparison.OrdinalIgnoreCase)
                    ? Window("plugins:" + ip, pluginsPerIp)
                    : RateLimitPartition.GetNoLimiter("");
            });
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits))
                    .LogWarning("Rate limit: refused {Method} {Path} from {Ip}", context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value, context.HttpContext.Connection.RemoteIpAddress);
                return ValueTask.CompletedTask;
            };
        });
    }

    private static RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

/// <summary>Login attempts per user name (lower-cased), whatever IP they come from.</summary>
public sealed class LoginThrottle(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    /// <summary>True when another attempt for this user name may go ahead now.</summary>
    public bool TryAcquire(string userName)
    {
        using var lease = _limiter.AttemptAcquire(userName.Trim().ToLowerInvariant());
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
