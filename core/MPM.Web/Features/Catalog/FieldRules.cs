namespace MPM.Web.Features.Catalog;

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
