using System.Globalization;
using System.Threading.RateLimiting;

namespace MPM.Web.Security;

/// <summary>
/// The host refuses machine traffic it cannot take instead of falling over: at most RateLimits:ConcurrentRequests
/// requests to /api and /plugins run at once (default 32, well under the database connection pool, so pages and the
/// payment workers keep connections), up to RateLimits:QueueLength more wait their turn in arrival order (default 200),
/// and beyond that the answer is 503 with Retry-After (RateLimits:ShedRetryAfterSeconds, default 5): providers send a
/// payment again after a 503. Pages, health and /metrics are not counted, so they stay reachable under load.
/// </summary>
public sealed class LoadShedding : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public LoadShedding(IConfiguration configuration)
    {
        var concurrent = AtLeast(configuration, "ConcurrentRequests", 32, 1);
        var queue = AtLeast(configuration, "QueueLength", 200, 0);
        var retryAfter = AtLeast(configuration, "ShedRetryAfterSeconds", 5, 1);
        RetryAfterSeconds = retryAfter;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });
    }

    public int RetryAfterSeconds { get; }

    private static int AtLeast(IConfiguration configuration, string key, int fallback, int minimum)
    {
        var value = configuration.GetValue($"{RateLimits.Section}:{key}", fallback);
        return value >= minimum ? value : throw new InvalidOperationException($"{RateLimits.Section}:{key} must be at least {minimum}, not {value}");
    }

    /// <summary>Requests running and waiting now.</summary>
    public RateLimiterStatistics Statistics => _limiter.GetStatistics()!;

    public static bool Counts(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/plugins");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Counts(context.Request.Path))
        {
            await next(context);
            return;
        }

        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The caller left while waiting.
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                context.RequestServices.GetRequiredService<ILogger<LoadShedding>>()
                    .LogWarning("Overloaded: refused {Method} {Path} from {Ip} with 503", context.Request.Method, context.Request.Path.Value, context.Connection.RemoteIpAddress);
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ShortAnswer.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"The server is busy, try again in {RetryAfterSeconds} seconds.");
                return;
            }

            await next(context);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
