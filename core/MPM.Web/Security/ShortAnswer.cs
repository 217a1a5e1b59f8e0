namespace MPM.Web.Security;

/// <summary>The host's own refusals (too large, too many, too busy): problem details for the REST API, one line of text for everyone else.</summary>
public static class ShortAnswer
{
    public static Task WriteAsync(HttpContext context, int status, string message) =>
        context.Request.Path.StartsWithSegments("/api")
            ? Results.Problem(message, statusCode: status).ExecuteAsync(context)
            : Results.Text(message, "text/plain; charset=utf-8", statusCode: status).ExecuteAsync(context);
}
