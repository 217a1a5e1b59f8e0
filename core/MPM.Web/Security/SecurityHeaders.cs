namespace MPM.Web.Security;

/// <summary>
/// Headers on every answer: a content security policy that allows only the application's own scripts, styles and
/// connections (images also from the map tile host), no framing, no MIME sniffing, no full URLs in the Referer.
/// </summary>
public static class SecurityHeaders
{
    public const string DefaultTileUrl = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>The policy for the configured map tile URL (Map:TileUrl); a {s} subdomain becomes a wildcard.</summary>
    public static string ContentSecurityPolicy(string? tileUrl)
    {
        var images = "'self' data:";
        if (Uri.TryCreate((tileUrl ?? DefaultTileUrl).Replace("{s}", "sub", StringComparison.Ordinal), UriKind.Absolute, out var tiles) && tiles.Scheme is "https" or "http")
        {
            var host = (tileUrl ?? DefaultTileUrl).Contains("{s}.", StringComparison.Ordinal) ? "*" + tiles.Authority[tiles.Authority.IndexOf('.', StringComparison.Ordinal)..] : tiles.Authority;
            images += $" {tiles.Scheme}://{host}";
        }

        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + images
            + "; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var policy = ContentSecurityPolicy(configuration["Map:TileUrl"]);
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return next(context);
        });
    }
}
