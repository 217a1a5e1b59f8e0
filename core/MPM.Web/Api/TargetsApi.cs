using System.Security.Claims;
using MPM.Core.Domain;
using MPM.Web.Features.Targets;
using static MPM.Web.Api.ApiResults;

namespace MPM.Web.Api;

/// <summary>GET /api/v1/targets (latest deadline first) and POST /api/v1/targets (201 with the id, 400 naming each bad field).</summary>
public static class TargetsApi
{
    public sealed record TargetItem(long Id, string OwnerType, long OwnerId, string OwnerName, DateOnly ValidUntil, IReadOnlyList<TargetValueItem> Values);

    public sealed record TargetValueItem(long? ConnectionTypeId, string Group, int? NewConnections, decimal? Revenue, decimal? ConnectedPower, decimal? EnergyPerMonth, decimal? AverageRevenuePerCustomer)
    {
        public static TargetValueItem Of(long? connectionTypeId, string group, TargetGoals g) =>
            new(connectionTypeId, group, g.NewConnections, g.Revenue, g.ConnectedPower, g.EnergyPerMonth, g.AverageRevenuePerCustomer);
    }

    public static void MapTargets(this RouteGroupBuilder api)
    {
        api.MapGet("/targets", async (TargetCatalog targets, CancellationToken ct) =>
                (await targets.ListAsync(ct)).Select(t => new TargetItem(t.Id, t.OwnerType, t.OwnerId, t.OwnerName, t.ValidUntil,
                    t.Values.Select(v => TargetValueItem.Of(v.ConnectionTypeId, v.Group, v.Goals)).ToList())).ToList())
            .WithName("ListTargets")
            .WithSummary("Targets of clusters and mini-grids, the latest deadline first; a value with connectionTypeId null is for all customers.");
        api.MapPost("/targets", async (HttpRequest request, TargetCatalog targets, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var (body, problem) = await ReadBodyAsync<TargetInput>(request, ct);
                return problem ?? Saved(await targets.CreateAsync(body!, Actor(user), ct));
            })
            .JsonBody<TargetInput>()
            .Produces<IdResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithName("CreateTarget")
            .WithSummary("A target for a cluster or a mini-grid (ownerType \"cluster\" or \"mini-grid\", ownerId, validUntil) with goals per customer group; none required.");
    }
}
