using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MPM.Sdk;
using MPM.Sdk.Registration;

namespace MPM.Plugins.RegistrationApp;

/// <summary>
/// The app's calls. Its rules: any 401 signs the user out, so 401 means only a missing, expired or revoked token;
/// a failed login shows <c>data.message</c>; an upload succeeds on a 2xx whose <c>data</c> is an object (the app then
/// deletes its local row <c>data.id</c>), and only a 422 with <c>errors</c> shows the user why it did not.
/// </summary>
public sealed class AppApi(IOperatorSignIn signIn, IFieldRegistration registration, ILogger<AppApi> logger)
{
    public const int PageSize = 15;
    public const int MaxBody = 64 * 1024;

    /// <summary>Who may use the app: field agents, and the managers and admins who may register anyway.</summary>
    public static readonly IReadOnlyCollection<string> Roles = [OperatorRoles.FieldAgent, OperatorRoles.Manager, OperatorRoles.Admin];

    /// <summary>App field names of <see cref="FieldRegistration"/>'s properties.</summary>
    private static readonly Dictionary<string, string> AppFields = new()
    {
        ["name"] = "name",
        ["surname"] = "surname",
        ["phone"] = "phone",
        ["serialNumber"] = "serial_number",
        ["manufacturerId"] = "manufacturer",
        ["meterTypeId"] = "meter_type",
        ["tariffId"] = "tariff_id",
        ["villageId"] = "city_id",
        ["connectionTypeId"] = "connection_type_id",
        ["connectionGroupId"] = "connection_group_id",
        ["latitude"] = "geo_points",
        ["longitude"] = "geo_points",
    };

    public async Task<IResult> LoginAsync(HttpContext http)
    {
        var (body, problem) = await ReadObjectAsync(http);
        var email = body is { } b && b.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var password = body is { } c && c.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (problem is not null || string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return LoginFailed(problem ?? "email and password are required");
        }

        var result = await signIn.SignInAsync(RegistrationAppPlugin.Id, email, password, Roles, http.RequestAborted);
        if (result.Token is null)
        {
            return LoginFailed(result.Error ?? "sign-in refused");
        }

        var expiresIn = (long)(result.ExpiresAt!.Value - DateTimeOffset.UtcNow).TotalSeconds;
        return Results.Json(new { access_token = result.Token, token_type = "bearer", expires_in = expiresIn });
    }

    public async Task<IResult> ListAsync(HttpContext http, Func<FieldCatalog, IEnumerable<object>> list)
    {
        if (await SignedInAsync(http) is null)
        {
            return Unauthenticated();
        }

        return Results.Json(new { data = list(await registration.CatalogAsync(http.RequestAborted)).ToList() });
    }

    /// <summary>Customers, newest first, as a Laravel paginator: the same shape with or without <c>page</c>.</summary>
    public async Task<IResult> PeopleAsync(HttpContext http)
    {
        if (await SignedInAsync(http) is null)
        {
            return Unauthenticated();
        }

        // As Laravel does: a page that is not a positive number is the first page.
        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0 ? asked : 1;
        var people = await registration.PeopleAsync(page, PageSize, http.RequestAborted);
        var lastPage = Math.Max(1, (people.Total + PageSize - 1) / PageSize);
        var path = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}";
        string PageUrl(int n) => string.Create(CultureInfo.InvariantCulture, $"{path}?page={n}");
        var from = people.Items.Count == 0 ? (int?)null : (page - 1) * PageSize + 1;
        return Results.Json(new
        {
            current_page = page,
            data = people.Items.Select(p => new { id = p.Id, name = p.Name, surname = p.Surname, phone = p.Phone }).ToList(),
            first_page_url = PageUrl(1),
            from,
            last_page = lastPage,
            last_page_url = PageUrl(lastPage),
            next_page_url = page < lastPage ? PageUrl(page + 1) : null,
            path,
            per_page = PageSize,
            prev_page_url = page > 1 ? PageUrl(page - 1) : null,
            to = from is null ? null : from + people.Items.Count - 1,
            total = people.Total,
        });
    }

    public async Task<IResult> RegisterAsync(HttpContext http)
    {
        if (await SignedInAsync(http) is not { } agent)
        {
            return Unauthenticated();
        }

        var (body, problem) = await ReadObjectAsync(http);
        if (problem is not null)
        {
            return Invalid(new Dictionary<string, string> { ["body"] = problem });
        }

        var upload = AppUpload.Parse(body!.Value);
        if (upload.Errors.Count > 0)
        {
            return Invalid(upload.Errors);
        }

        var result = await registration.RegisterAsync(upload.Registration, agent.Email, http.RequestAborted);
        if (result is not { CustomerId: { } customerId, MeterId: { } meterId })
        {
            return Invalid(result.Errors.ToDictionary(e => AppFields.GetValueOrDefault(e.Key, e.Key), e => e.Value));
        }

        if (result.AlreadyRegistered)
        {
            logger.LogInformation("Upload of meter {Serial} by {Agent} repeats registration {CustomerId}/{MeterId}", upload.Registration.SerialNumber, agent.Email, customerId, meterId);
        }

        return Results.Json(new { data = new { id = upload.LocalId, person_id = customerId, meter_id = meterId } }, statusCode: StatusCodes.Status201Created);
    }

    private async Task<SignedInOperator?> SignedInAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await signIn.ValidateAsync(RegistrationAppPlugin.Id, header["Bearer ".Length..].Trim(), http.RequestAborted)
            : null;
    }

    /// <summary>The request's JSON object, or why there is none (too large, not JSON, not an object).</summary>
    private static async Task<(JsonElement? Body, string? Problem)> ReadObjectAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBody)
        {
            return (null, $"the request is larger than {MaxBody / 1024} KB");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody)
            {
                return (null, $"the request is larger than {MaxBody / 1024} KB");
            }
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object ? (document.RootElement.Clone(), null) : (null, "the request body must be a JSON object");
        }
        catch (JsonException)
        {
            return (null, "the request body is not valid JSON");
        }
    }

    private static IResult LoginFailed(string message) =>
        Results.Json(new { message, data = new { message } }, statusCode: StatusCodes.Status422UnprocessableEntity);

    private static IResult Unauthenticated() => Results.Json(new { message = "Unauthenticated." }, statusCode: StatusCodes.Status401Unauthorized);

    private static IResult Invalid(IReadOnlyDictionary<string, string> errors) => Results.Json(
        new { message = errors.Values.First(), errors = errors.ToDictionary(e => e.Key, e => new[] { e.Value }) },
        statusCode: StatusCodes.Status422UnprocessableEntity);
}
