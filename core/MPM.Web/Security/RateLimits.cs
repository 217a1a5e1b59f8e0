using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MPM.Web.Security;

/// <summary>
/// Limits on the doors open to the internet, per client IP and fixed one-minute windows, all configurable under
/// RateLimits: login posts (LoginPerIpPerMinute) and plugin endpoints such as provider callbacks, gateways and webhooks
/// (PluginsPerIpPerMinute). Login posts are also limited per user name (LoginPerUserPerMinute, see <see cref="LoginThrottle"/>).
/// Over the limit the answer is 429 with Retry-After: a browser on the login page gets a short HTML page saying when to
/// try again, the REST API problem details, everyone else (providers, gateways) one line of text.
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
            o.OnRejected = async (context, _) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits))
                    .LogWarning("Rate limit: refused {Method} {Path} from {Ip}", context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value, context.HttpContext.Connection.RemoteIpAddress);
                await TooManyAsync(context.HttpContext, RetryAfter(context.Lease));
            };
        });
    }

    /// <summary>When a refused caller may try again (a fixed window's limiter says the whole window).</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromMinutes(1);

    /// <summary>429 with Retry-After, worded for whoever asked: HTML for a browser, problem details for the REST API, text for the rest.</summary>
    public static Task TooManyAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        var login = context.Request.Path.StartsWithSegments("/Account/Login", StringComparison.OrdinalIgnoreCase);
        var message = $"Too many {(login ? "attempts" : "requests")}, try again in {seconds} seconds.";
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/api") || !context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
        {
            return ShortAnswer.WriteAsync(context, StatusCodes.Status429TooManyRequests, message);
        }

        var back = login ? "<p><a href=\"/Account/Login\">Back to the sign-in page</a></p>" : "";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>Too many {{(login ? "attempts" : "requests")}} · MPM Platform</title><link rel="stylesheet" href="/lib/bootstrap/css/bootstrap.min.css" /></head>
            <body><main class="container py-5"><h1 class="h4">Please wait a moment</h1><p id="retry-message">{{message}}</p>{{back}}</main></body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }

    private static RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

/// <summary>Login attempts per user name (lower-cased), whatever IP they come from.</summary>
public sealed class LoginThrottle(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    /// <summary>Null when another attempt for this user name may go ahead now, else when one may.</summary>
    public TimeSpan? RetryAfter(string userName)
    {
        using var lease = _limiter.AttemptAcquire(userName.Trim().ToLowerInvariant());
        return lease.IsAcquired ? null : RateLimits.RetryAfter(lease);
    }

    public void Dispose() => _limiter.Dispose();
}
