using Microsoft.AspNetCore.Mvc;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Api;

/// <summary>The REST API under /api/v1: API-key authentication, problem-details errors, an OpenAPI document.</summary>
public static class ApiEndpoints
{
    public const string Policy = "api";

    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(Policy).WithMetadata(new RequestSizeLimitAttribute(ApiResults.MaxBodyBytes));

        api.MapGet("/plugins", (PluginHost host) => host.Plugins.Select(p => new PluginDto(
                p.Id, p.Manifest?.Name, p.Manifest?.Version, p.Manifest?.Kinds ?? [], p.Status.ToString().ToLowerInvariant(), p.Status == PluginStatus.Active ? null : p.FailureReason)))
            .WithName("ListPlugins").WithSummary("The plugins plugins.json lists, with their status.");
        api.MapRegistrationApi();
        api.MapCatalogApi();
        api.MapTransactions();
        api.MapPayments();
        api.MapTargets();
        api.MapDashboards();

        // An unknown API route is a 404 problem for a caller with a valid key. Without this, no endpoint matches and the
        // host's fallback policy (login cookie only) answers 401 even to a valid key.
        api.MapFallback("{*path}", (string? path) => Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No API route /api/v1/{path}."))
            .ExcludeFromDescription();
        return api;
    }

    public sealed record PluginDto(string Id, string? Name, string? Version, IReadOnlyList<string> Kinds, string Status, string? FailureReason);
}
