namespace MPM.Web.Features;

/// <summary>
/// What an operator's change came to: done; refused with field errors (keyed like the form's fields, e.g.
/// "address.phone"), nothing stored; or the record it was about does not exist.
/// </summary>
public sealed record ChangeResult(IReadOnlyDictionary<string, string> Errors, bool NotFound = false)
{
    public static ChangeResult Done { get; } = new(new Dictionary<string, string>());

    public static ChangeResult Missing { get; } = new(new Dictionary<string, string>(), NotFound: true);

    public bool Succeeded => !NotFound && Errors.Count == 0;
}
