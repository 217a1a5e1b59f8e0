using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.OpenApi;
using MPM.Web.Features.Catalog;

namespace MPM.Web.Api;

/// <summary>
/// Request bodies and answers of the REST API. Bodies are read here rather than bound by the framework so that a
/// malformed field is answered like any other bad field: 400 problem details naming it by its JSON path.
/// </summary>
public static class ApiResults
{
    /// <summary>Larger bodies are refused with 413: no request of this API comes near it.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public sealed record IdResponse(long Id);

    /// <summary>Who made a change, for the audit log: the API key's name claim ("api-key:&lt;name&gt;").</summary>
    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "api";

    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer with.</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem("the body must be JSON, sent with Content-Type: application/json", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(cancellationToken);
            return body is null ? (null, Invalid("body", "the body must be a JSON object")) : (body, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without Content-Length that grew past the server's limit for this endpoint (see MapApi).
            return (null, TooLarge());
        }
        catch (JsonException e) when (e.InnerException is JsonException)
        {
            // The reader's own exception inside: the text is not JSON at all.
            return (null, Invalid("body", $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"));
        }
        catch (JsonException e)
        {
            var field = e.Path is null or "$" ? "body" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path[1..];
            return (null, Invalid(field, field == "body" ? "the body must be a JSON object" : $"{field[(field.LastIndexOf('.') + 1)..]} has the wrong type or format"));
        }
    }

    /// <summary>
    /// Documents the JSON body that the handler reads with <see cref="ReadBodyAsync{T}"/>. Not Accepts metadata: with it,
    /// routing itself would refuse another content type, before authentication, and the fallback policy would turn that
    /// 415 into a 401.
    /// </summary>
    public static RouteHandlerBuilder JsonBody<T>(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
                },
            });

    /// <summary>201 with the new id, 409 when the name is taken, or 400 naming each bad field.</summary>
    public static IResult Saved(SaveResult result) =>
        result.Id is { } id ? TypedResults.Created((string?)null, new IdResponse(id))
        : result.Duplicate ? Conflict(string.Join("; ", result.Errors.Values))
        : Invalid(result.Errors);

    public static IResult Invalid(IReadOnlyDictionary<string, string> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string> { [field] = message });

    public static IResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);

    private static IResult TooLarge() =>
        TypedResults.Problem($"the body must not be larger than {MaxBodyBytes / 1024} KB", statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>An optional whole-number query parameter within bounds; a bad one is added to <paramref name="errors"/>.</summary>
    public static int QueryInt(Dictionary<string, string> errors, string name, string? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[name] = $"{name} must be a whole number from {min} to {max}";
        return fallback;
    }
}
