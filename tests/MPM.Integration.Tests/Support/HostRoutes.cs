using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MPM.Integration.Tests.Support;

/// <summary>
/// One route of the host as taken from its endpoint data source: "METHOD pattern" for endpoints, "GET page" and
/// "POST page?handler=Name" for pages (one per POST handler); Url has sample values for the route parameters.
/// </summary>
public sealed record HostRoute(string Key, string Method, string Url, bool IsPage, Endpoint Endpoint);

public static class HostRoutes
{
    /// <summary>Every route of the running host: pages with each of their POST handlers, REST and plugin endpoints.</summary>
    public static async Task<List<HostRoute>> ListAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var routes = new List<HostRoute>();
        var endpoints = services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var url = Sample(pattern);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                routes.Add(new HostRoute($"GET {pattern}", "GET", url, true, endpoint));
                foreach (var handler in compiled.HandlerMethods.Where(h => h.HttpMethod == "Post"))
                {
                    var suffix = handler.Name is null ? "" : $"?handler={handler.Name}";
                    routes.Add(new HostRoute($"POST {pattern}{suffix}", "POST", url + suffix, true, endpoint));
                }

                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                routes.Add(new HostRoute($"{method} {pattern}", method == "*" ? "GET" : method, url, false, endpoint));
            }
        }

        return routes;
    }

    /// <summary>Route parameters get sample values: the hello plugin for plugin ids, 1 for the rest.</summary>
    private static string Sample(string pattern) =>
        Regex.Replace(pattern, @"\{(\*\*)?(?<name>[^}:=?]+)[^}]*\}", m => m.Groups["name"].Value.Equals("id", StringComparison.OrdinalIgnoreCase) && pattern.StartsWith("/Plugins/", StringComparison.Ordinal) ? "hello" : "1")
            .Replace("//", "/", StringComparison.Ordinal);
}
