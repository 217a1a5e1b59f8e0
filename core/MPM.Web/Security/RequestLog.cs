using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MPM.Web.Security;

/// <summary>
/// The request lines of the log without secrets. ASP.NET Core's own "Request starting/finished" lines
/// (Microsoft.AspNetCore.Hosting.Diagnostics) carry the query string as it came, and a provider may put its secret
/// there: Africa's Talking cannot send headers, so its callbacks carry <c>?key=…</c>. The host turns those two lines
/// off (the category keeps its warnings and errors) and writes its own, with the value of every query parameter whose
/// name looks like a credential replaced by <c>***</c>.
/// </summary>
public static partial class RequestLog
{
    public const string Category = "MPM.Web.Requests";
    public const string Redacted = "***";
    private const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Turns the hosting log's request lines off (Information and below) for every provider.</summary>
    public static ILoggingBuilder WithoutHostingRequestLines(this ILoggingBuilder logging) => logging.AddFilter(HostingCategory, LogLevel.Warning);

    /// <summary>Logs each request's start and end — method, path, redacted query, status, time — as the hosting log did.</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            var request = context.Request;
            var query = Redact(request.QueryString);
            logger.LogInformation("Request starting {Protocol} {Method} {Path}{Query}", request.Protocol, request.Method, request.PathBase + request.Path, query);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                logger.LogInformation("Request finished {Protocol} {Method} {Path}{Query} - {StatusCode} in {ElapsedMilliseconds:0.0} ms", request.Protocol, request.Method,
                    request.PathBase + request.Path, query, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    /// <summary>The query string with the values of credential-like parameters (key, token, secret, password, signature, …) replaced.</summary>
    public static string Redact(QueryString query)
    {
        if (!query.HasValue || query.Value!.Length <= 1)
        {
            return "";
        }

        var result = new StringBuilder("?");
        foreach (var pair in query.Value[1..].Split('&'))
        {
            if (result.Length > 1)
            {
                result.Append('&');
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            result.Append(equals >= 0 && Credential().IsMatch(Uri.UnescapeDataString(name)) ? $"{name}={Redacted}" : pair);
        }

        return result.ToString();
    }

    [GeneratedRegex("key|token|secret|pass|pwd|sig|auth|hash|credential", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
