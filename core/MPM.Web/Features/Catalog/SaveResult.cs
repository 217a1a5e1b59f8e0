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

    /// <summary>The error is a name that is already taken (the REST API answers 409).</summary>
    public bool Duplicate { get; init; }

    public static SaveResult Saved(long id) => new(id, new Dictionary<string, string>());

    public static SaveResult Invalid(Dictionary<string, string> errors) => new(null, errors);

    public static SaveResult Invalid(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}
