using System.Globalization;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features;
using MPM.Web.Features.Transactions;

namespace MPM.Web.Api;

/// <summary>GET /api/v1/transactions (filtered, paged, newest first) and GET /api/v1/transactions/{id}.</summary>
public static class TransactionsApi
{
    public const int DefaultPageSize = 25;

    private static readonly string[] DateTimeFormats = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static void MapTransactions(this RouteGroupBuilder api)
    {
        api.MapGet("/transactions", ListAsync)
            .WithName("ListTransactions")
            .WithSummary("Transactions, newest first. meter: part of the serial; status: received, processing, confirmed or cancelled; "
                + "from/to: received from (included) / to (excluded), an ISO date-time (without an offset: the operator's time zone) or date (the operator's day, 'to' included).");
        api.MapGet("/transactions/{id:long}", GetAsync)
            .WithName("GetTransaction")
            .WithSummary("One transaction with its token, allocations (reversals negative) and SMS.");
    }

    private static async Task<IResult> ListAsync(
        TransactionQueries queries, string? meter, string? provider, string? providerReference, string? status, string? from, string? to, string? page, string? pageSize,
        CancellationToken cancellationToken)
    {
        var zone = (await queries.LocaleAsync(cancellationToken)).TimeZone;
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(status) && !TransactionQueries.Statuses.Contains(status.Trim()))
        {
            errors["status"] = [$"status must be one of {string.Join(", ", TransactionQueries.Statuses)}"];
        }

        var fromInstant = Instant(from, zone, endOfDay: false, "from", errors);
        var toInstant = Instant(to, zone, endOfDay: true, "to", errors);
        var pageNo = Number(page, 1, int.MaxValue, 1, "page", errors);
        var size = Number(pageSize, 1, TransactionQueries.MaxPageSize, DefaultPageSize, "pageSize", errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));
        }

        var filter = new TransactionFilter(MeterSerial: meter, Provider: provider, ProviderReference: providerReference, Status: status, From: fromInstant, To: toInstant);
        return Results.Ok(await queries.ListAsync(filter, pageNo, size, cancellationToken));
    }

    private static async Task<IResult> GetAsync(long id, MpmDb db, CancellationToken cancellationToken) =>
        await TransactionQueries.GetDtoAsync(db, id, cancellationToken) is { } transaction
            ? Results.Ok(transaction)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"There is no transaction {id}.");

    /// <summary>A date is the operator's calendar day: "to" a date includes that day.</summary>
    private static DateTimeOffset? Instant(string? value, TimeZoneInfo zone, bool endOfDay, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (Unusable(day))
            {
                return null;
            }

            return PeriodComparison.StartOfDay(endOfDay ? day.AddDays(1) : day, zone);
        }

        if (DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            && !(time.Kind == DateTimeKind.Unspecified && zone.IsInvalidTime(time)))
        {
            if (Unusable(DateOnly.FromDateTime(time)))
            {
                return null;
            }

            // Without an offset the time is the operator's wall-clock time.
            return time.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(time, zone))
                : new DateTimeOffset(time.ToUniversalTime());
        }

        errors[name] = [$"{name} must be an ISO date (2026-03-01) or date-time (2026-03-01T08:00:00Z) that exists in {zone.Id}"];
        return null;

        bool Unusable(DateOnly date)
        {
            if (FilterDays.Problem(name, date) is { } problem)
            {
                errors[name] = [problem];
                return true;
            }

            return false;
        }
    }

    private static int Number(string? value, int min, int max, int fallback, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[name] = [$"{name} must be a whole number from {min} to {max}"];
        return fallback;
    }
}
