using System.Security.Claims;
using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Places;
using static MPM.Web.Api.ApiResults;

namespace MPM.Web.Api;

/// <summary>
/// What a registration refers to: places, tariffs, customer groups and manufacturers. Each has a GET (the whole list)
/// and a POST (201 with the new id; 400 naming each bad field; 409 when the name is taken), validated and audit-logged
/// by the same catalog services as the operator pages.
/// </summary>
public static class CatalogApi
{
    /// <param name="Area">Optional GeoJSON Polygon object.</param>
    public sealed record ClusterRequest(string? Name, string? ManagerName, decimal? Latitude, decimal? Longitude, JsonElement? Area);

    public sealed record ClusterItem(long Id, string Name, string? ManagerName, decimal? Latitude, decimal? Longitude, JsonElement? Area);

    public sealed record MiniGridItem(long Id, string Name, long ClusterId, decimal Latitude, decimal Longitude);

    public sealed record VillageItem(long Id, string Name, long MiniGridId, decimal Latitude, decimal Longitude);

    public sealed record TariffRequest(string? Name, decimal? PricePerKWh, List<TariffComponentInput?>? Components, decimal? MinimumPurchase, AccessRateInput? AccessRate);

    public sealed record AccessRateItem(decimal Amount, int PeriodDays);

    public sealed record TariffItem(long Id, string Name, decimal PricePerKWh, decimal TotalPricePerKWh, IReadOnlyList<TariffComponent> Components, decimal MinimumPurchase, AccessRateItem? AccessRate);

    public sealed record NameRequest(string? Name);

    /// <param name="Settings">The token plugin's per-manufacturer settings: strings, numbers or booleans.</param>
    public sealed record ManufacturerRequest(string? Name, string? TokenGenerator, Dictionary<string, JsonElement>? Settings);

    public static void MapCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clusters", ClustersAsync).WithName("ListClusters");
        api.MapPost("/clusters", (HttpRequest request, PlaceCatalog places, ClaimsPrincipal user, CancellationToken ct) =>
                CreateAsync<ClusterRequest>(request, body => places.SaveClusterAsync(null, new ClusterInput(body.Name, body.ManagerName, body.Latitude, body.Longitude,
                    body.Area is { ValueKind: not JsonValueKind.Null } area ? area.GetRawText() : null), Actor(user), ct), ct))
            .Creates<ClusterRequest>("CreateCluster");

        api.MapGet("/mini-grids", (MpmDb db, CancellationToken ct) =>
                db.MiniGrids.OrderBy(m => m.Name).Select(m => new MiniGridItem(m.Id, m.Name, m.ClusterId, m.Latitude, m.Longitude)).ToListAsync(ct))
            .WithName("ListMiniGrids");
        api.MapPost("/mini-grids", (HttpRequest request, PlaceCatalog places, ClaimsPrincipal user, CancellationToken ct) =>
                CreateAsync<MiniGridInput>(request, body => places.SaveMiniGridAsync(null, body, Actor(user), ct), ct))
            .Creates<MiniGridInput>("CreateMiniGrid");

        api.MapGet("/villages", (MpmDb db, CancellationToken ct) =>
                db.Villages.OrderBy(v => v.Name).ThenBy(v => v.Id).Select(v => new VillageItem(v.Id, v.Name, v.MiniGridId, v.Latitude, v.Longitude)).ToListAsync(ct))
            .WithName("ListVillages");
        api.MapPost("/villages", (HttpRequest request, PlaceCatalog places, ClaimsPrincipal user, CancellationToken ct) =>
                CreateAsync<VillageInput>(request, body => places.SaveVillageAsync(null, body, Actor(user), ct), ct))
            .Creates<VillageInput>("CreateVillage");

        api.MapGet("/tariffs", TariffsAsync).WithName("ListTariffs");
        api.MapPost("/tariffs", CreateTariffAsync).Creates<TariffRequest>("CreateTariff");

        api.MapGet("/connection-types", (CustomerGroupCatalog groups, CancellationToken ct) => groups.ListAsync(CustomerGroupKind.ConnectionType, ct))
            .WithName("ListConnectionTypes");
        api.MapPost("/connection-types", (HttpRequest request, CustomerGroupCatalog groups, ClaimsPrincipal user, CancellationToken ct) =>
                CreateAsync<NameRequest>(request, body => groups.SaveAsync(CustomerGroupKind.ConnectionType, null, body.Name, Actor(user), ct), ct))
            .Creates<NameRequest>("CreateConnectionType");

        api.MapGet("/connection-groups", (CustomerGroupCatalog groups, CancellationToken ct) => groups.ListAsync(CustomerGroupKind.ConnectionGroup, ct))
            .WithName("ListConnectionGroups");
        api.MapPost("/connection-groups", (HttpRequest request, CustomerGroupCatalog groups, ClaimsPrincipal user, CancellationToken ct) =>
                CreateAsync<NameRequest>(request, body => groups.SaveAsync(CustomerGroupKind.ConnectionGroup, null, body.Name, Actor(user), ct), ct))
            .Creates<NameRequest>("CreateConnectionGroup");

        api.MapGet("/manufacturers", (ManufacturerCatalog manufacturers, CancellationToken ct) => manufacturers.ListAsync(ct))
            .WithName("ListManufacturers").WithSummary("Meter manufacturers with their token generator plugin (never its settings).");
        api.MapPost("/manufacturers", CreateManufacturerAsync)
            .Creates<ManufacturerRequest>("CreateManufacturer")
            .WithSummary("Adds a manufacturer with its token plugin's settings for it, both or neither.");
    }

    private static async Task<List<ClusterItem>> ClustersAsync(MpmDb db, CancellationToken cancellationToken)
    {
        var clusters = await db.Clusters.OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return clusters.Select(c => new ClusterItem(c.Id, c.Name, c.ManagerName, c.Latitude, c.Longitude,
            c.AreaGeoJson is null ? null : JsonSerializer.Deserialize<JsonElement>(c.AreaGeoJson))).ToList();
    }

    private static async Task<List<TariffItem>> TariffsAsync(TariffCatalog tariffs, CancellationToken cancellationToken) =>
        (await tariffs.ListAsync(cancellationToken)).Select(t => new TariffItem(t.Id, t.Name, t.PricePerKWh, t.TotalPricePerKWh, t.Components, t.MinimumPurchase,
            t is { AccessRateAmount: { } amount, AccessRatePeriodDays: { } days } ? new AccessRateItem(amount, days) : null)).ToList();

    private static async Task<IResult> CreateTariffAsync(HttpRequest request, TariffCatalog tariffs, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync<TariffRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var components = body!.Components ?? [];
        var missing = components.Select((c, i) => (c, i)).Where(x => x.c is null).ToDictionary(x => $"components[{x.i}]", _ => "a component needs a name and a pricePerKWh");
        if (missing.Count > 0)
        {
            return Invalid(missing);
        }

        var input = new TariffInput(body.Name, body.PricePerKWh, components.Select(c => c!).ToList(), body.MinimumPurchase, body.AccessRate);
        return Saved(await tariffs.SaveAsync(null, input, Actor(user), cancellationToken));
    }

    private static async Task<IResult> CreateManufacturerAsync(HttpRequest request, ManufacturerCatalog manufacturers, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync<ManufacturerRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var settings = new Dictionary<string, string?>();
        var errors = new Dictionary<string, string>();
        foreach (var (key, value) in body!.Settings ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    settings[key] = value.GetString();
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    settings[key] = value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    settings[key] = null;
                    break;
                default:
                    errors[$"settings.{key}"] = $"{key} must be a string, a number or a boolean";
                    break;
            }
        }

        return errors.Count > 0
            ? Invalid(errors)
            : Saved(await manufacturers.CreateWithSettingsAsync(new ManufacturerInput(body.Name, body.TokenGenerator), settings, Actor(user), cancellationToken));
    }

    private static async Task<IResult> CreateAsync<TRequest>(HttpRequest request, Func<TRequest, Task<SaveResult>> create, CancellationToken cancellationToken)
        where TRequest : class
    {
        var (body, problem) = await ReadBodyAsync<TRequest>(request, cancellationToken);
        return problem ?? Saved(await create(body!));
    }

    private static RouteHandlerBuilder Creates<TRequest>(this RouteHandlerBuilder endpoint, string name) =>
        endpoint.JsonBody<TRequest>()
            .Produces<IdResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithName(name);
}
