using System.Security.Claims;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Meters;
using MPM.Web.Security;
using static MPM.Web.Api.ApiResults;

namespace MPM.Web.Api;

/// <summary>What the customer-and-meter registration app calls: registration, customer and meter search, one meter.</summary>
public static class RegistrationApi
{
    public static void MapRegistrationApi(this RouteGroupBuilder api)
    {
        api.MapPost("/registrations", RegisterAsync)
            .JsonBody<RegistrationRequest>()
            .Produces<RegistrationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithName("Register")
            .WithSummary("Registers a customer with their meter, in one transaction: nothing is stored on any error.");

        api.MapGet("/customers", SearchCustomersAsync)
            .Produces<Paged<CustomerRow>>()
            .ProducesValidationProblem()
            .WithName("SearchCustomers")
            .WithSummary("Customers whose name, surname, phone, city or meter serial contains the search text; paged.");

        api.MapGet("/meters", SearchMetersAsync)
            .Produces<Paged<MeterRow>>()
            .ProducesValidationProblem()
            .WithName("SearchMeters")
            .WithSummary("Meters whose serial number or tariff name contains the search text; paged.");

        api.MapGet("/meters/{serial}", FindMeterAsync)
            .Produces<MeterSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetMeter")
            .WithSummary("One meter by serial number, with its owner, tariff, manufacturer and access-rate debt.");
    }

    public sealed record RegistrationResponse(long CustomerId, long MeterId);

    private static async Task<IResult> RegisterAsync(HttpRequest request, Registration registration, AuditLog audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync<RegistrationRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await registration.RegisterAsync(body!, cancellationToken);
        if (result is not { CustomerId: { } customerId, MeterId: { } meterId })
        {
            return result.Conflict is { } conflict ? Conflict(conflict) : Invalid(result.Errors);
        }

        // Registration commits on its own and knows no actor: the audit entry follows it.
        var serial = body!.Meter!.SerialNumber!.Trim();
        await audit.WriteAsync(Actor(user), "registration.create", $"customer {customerId} with meter {meterId} ({serial})", cancellationToken);
        return TypedResults.Created($"/api/v1/meters/{Uri.EscapeDataString(serial)}", new RegistrationResponse(customerId, meterId));
    }

    /// <param name="sort">name (surname, name; the default), newest or phone.</param>
    private static async Task<IResult> SearchCustomersAsync(CustomerDirectory customers, string? search, string? page, string? pageSize, string? sort, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var (pageNumber, size) = Paging(errors, page, pageSize);
        CustomerSort? order = sort?.ToLowerInvariant() switch
        {
            null or "name" => CustomerSort.Name,
            "newest" => CustomerSort.Newest,
            "phone" => CustomerSort.Phone,
            _ => null,
        };
        if (order is null)
        {
            errors["sort"] = "sort must be name, newest or phone";
        }

        return errors.Count > 0 ? Invalid(errors) : TypedResults.Ok(await customers.SearchAsync(search, pageNumber, size, order!.Value, cancellationToken));
    }

    private static async Task<IResult> SearchMetersAsync(MeterDirectory meters, string? search, string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var (pageNumber, size) = Paging(errors, page, pageSize);
        return errors.Count > 0 ? Invalid(errors) : TypedResults.Ok(await meters.SearchAsync(search, pageNumber, size, cancellationToken));
    }

    private static async Task<IResult> FindMeterAsync(string serial, MeterSummaries meters, CancellationToken cancellationToken) =>
        await meters.FindBySerialAsync(serial, cancellationToken) is { } meter
            ? TypedResults.Ok(meter)
            : NotFound($"no meter with serial number {serial}");

    private static (int Page, int PageSize) Paging(Dictionary<string, string> errors, string? page, string? pageSize) =>
        (QueryInt(errors, "page", page, 1, 1, 1_000_000), QueryInt(errors, "pageSize", pageSize, 25, 1, CustomerDirectory.MaxPageSize));
}
