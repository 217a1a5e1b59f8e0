using LinqToDB.Async;
using MPM.Data;
using Npgsql;

namespace MPM.Web.Features.Catalog;

/// <summary>
/// The outcome of creating or editing a record: its id, or field errors keyed by JSON path ("name",
/// "accessRate.amount"), or — when editing — that the record does not exist. Nothing is stored when there are errors.
/// </summary>
public sealed record SaveResult(long? Id, IReadOnlyDictionary<string, string> Errors)
{
    public static SaveResult Missing { get; } = new(null, new Dictionary<string, string>());

    public bool Succeeded => Id is not null;

    public bool NotFound => Id is null && Errors.Count == 0;

    /// <summary>The error is a unique name already taken: a form shows it on the field, the REST API answers 409.</summary>
    public bool Duplicate { get; init; }

    public static SaveResult Saved(long id) => new(id, new Dictionary<string, string>());

    public static SaveResult Invalid(Dictionary<string, string> errors) => new(null, errors);

    public static SaveResult Invalid(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}

/// <summary>Validation rules the catalog and place forms share.</summary>
public static class FieldRules
{
    public const int MaxNameLength = 100;

    /// <summary>Checks a required name and returns it trimmed (null when invalid).</summary>
    public static string? Name(Dictionary<string, string> errors, string field, string? value)
    {
        var leaf = field[(field.LastIndexOf('.') + 1)..];
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors[field] = $"{leaf} is required";
            return null;
        }

        if (name.Length > MaxNameLength)
        {
            errors[field] = $"{leaf} must have at most {MaxNameLength} characters";
            return null;
        }

        return name;
    }

    /// <summary>A required amount that must be more than 0.</summary>
    public static void Positive(Dictionary<string, string> errors, string field, string label, decimal? value, int decimals) =>
        Amount(errors, field, label, value, decimals, required: true, v => v > 0 ? null : "must be more than 0");

    /// <summary>An amount that must be 0 or more.</summary>
    public static void NotNegative(Dictionary<string, string> errors, string field, string label, decimal? value, int decimals, bool required) =>
        Amount(errors, field, label, value, decimals, required, v => v >= 0 ? null : "must be 0 or more");

    /// <summary>
    /// The value must also fit its numeric(14, <paramref name="decimals"/>) column exactly: PostgreSQL would round extra
    /// decimals away silently, and overflow is an error of the database rather than of the form.
    /// </summary>
    private static void Amount(Dictionary<string, string> errors, string field, string label, decimal? value, int decimals, bool required, Func<decimal, string?> bound)
    {
        if (value is not { } amount)
        {
            if (required)
            {
                errors[field] = $"{label} is required";
            }

            return;
        }

        var largest = Enumerable.Repeat(10m, 14 - decimals).Aggregate(1m, (product, ten) => product * ten);
        if (bound(amount) is { } problem)
        {
            errors[field] = $"{label} {problem}";
        }
        else if (decimal.Round(amount, decimals) != amount)
        {
            errors[field] = $"{label} must have at most {decimals} decimals";
        }
        else if (amount >= largest)
        {
            errors[field] = $"{label} is too large";
        }
    }
}

public static class Changes
{
    /// <summary>
    /// Runs a write and its audit entry in one transaction. The write returns the record's id, or null when the record
    /// to edit does not exist. A unique-name violation becomes the error <paramref name="duplicate"/> on
    /// <paramref name="field"/>: the database, not an earlier look-up, decides, so two concurrent saves cannot both win.
    /// </summary>
    public static async Task<SaveResult> SaveAsync(MpmDb db, string field, string duplicate, Func<Task<long?>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            if (await write() is not { } id)
            {
                return SaveResult.Missing;
            }

            await transaction.CommitAsync(cancellationToken);
            return SaveResult.Saved(id);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return SaveResult.Invalid(field, duplicate) with { Duplicate = true };
        }
    }
}
