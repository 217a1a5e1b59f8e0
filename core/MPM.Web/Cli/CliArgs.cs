namespace MPM.Web.Cli;

/// <summary>Parses <c>--flag value</c> pairs; unknown or repeated flags and missing values are usage errors.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _values;

    private CliArgs(Dictionary<string, string> values) => _values = values;

    public static CliArgs Parse(IReadOnlyList<string> args, params string[] flags)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (!flags.Contains(flag))
            {
                throw new CliUsageException($"unknown argument '{flag}' (expected {string.Join(", ", flags)})");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new CliUsageException($"{flag} needs a value");
            }

            if (!values.TryAdd(flag, args[++i]))
            {
                throw new CliUsageException($"{flag} is given twice");
            }
        }

        return new CliArgs(values);
    }

    public string Required(string flag) =>
        _values.TryGetValue(flag, out var value) && !string.IsNullOrWhiteSpace(value) ? value : throw new CliUsageException($"{flag} is required");

    /// <summary>An optional whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int Integer(string flag, int defaultValue, int min, int max)
    {
        if (!_values.TryGetValue(flag, out var value))
        {
            return defaultValue;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new CliUsageException($"{flag} must be a whole number from {min} to {max}");
    }
}

/// <summary>Bad command-line usage: the message is shown and the exit code is 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
