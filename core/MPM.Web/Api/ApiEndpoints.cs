using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Api;

/// <summary>The REST API under /api/v1: API-key authentication, problem-details errors, an OpenAPI document.</summary>
public static class ApiEndpoints
{
    public const string Policy = "api";

    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(Policy);

        api.MapGet("/plugins", (PluginHost host) => host.Plugins.Select(p => new PluginDto(
                p.Id, p.Manifest?.Name, p.Manifest?.Version, p.Manifest?.Kinds ?? [], p.Status.ToString().ToLowerInvariant(), p.Status == PluginStatus.Active ? null : p.FailureReason)))
            .WithName("ListPlugins").WithSummary("The plugins plugins.json lists, with their status.");
        api.MapTransactions();

        return api;
    }

    public sealed record PluginDto(string Id, string? Name, string? Version, IReadOnlyList<string> Kinds, string Status, string? FailureReason);
}
