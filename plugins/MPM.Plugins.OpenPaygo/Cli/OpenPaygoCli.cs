using System.Globalization;
using System.Numerics;
using MPM.Plugins.OpenPaygo.Engine;

namespace MPM.Plugins.OpenPaygo.Cli;

/// <summary>
/// <c>openpaygo token --key HEX [--starting-code N] --count N --type add-time|set-time|disable-payg|counter-sync
/// [--value N] [--extended] [--restricted-digits]</c>. Prints <c>count=N</c>, then the token on the last line.
/// Without --starting-code, the code derived from the key is used.
/// </summary>
public static class OpenPaygoCli
{
    private const string Usage =
        "usage: openpaygo token --key HEX [--starting-code N] --count N --type add-time|set-time|disable-payg|counter-sync [--value N] [--extended] [--restricted-digits]";

    private static readonly string[] ValueFlags = ["--key", "--starting-code", "--count", "--type", "--value"];
    private static readonly string[] SwitchFlags = ["--extended", "--restricted-digits"];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Count == 0 || args[0] != "token")
            {
                throw new CliException(args.Count == 0 ? Usage : $"unknown verb '{args[0]}'; {Usage}");
            }

            Dictionary<string, string?> flags = ParseFlags(args.Skip(1).ToList());
            byte[] key = ParseKey(Required(flags, "--key"));
            uint startingCode = flags.TryGetValue("--starting-code", out string? code)
                ? ParseNumber<uint>("--starting-code", code!)
                : StartingCode.FromKey(key);
            int count = ParseNumber<int>("--count", Required(flags, "--count"));
            OpenPaygoTokenType type = ParseType(Required(flags, "--type"));
            int? value = flags.TryGetValue("--value", out string? v) ? ParseNumber<int>("--value", v!) : null;

            (int newCount, string token) = OpenPaygoEncoder.Generate(
                key, startingCode, count, type, value, flags.ContainsKey("--extended"), flags.ContainsKey("--restricted-digits"));
            stdout.WriteLine($"count={newCount}");
            stdout.WriteLine(token);
            return 0;
        }
        catch (Exception ex) when (ex is CliException or ArgumentException)
        {
            stderr.WriteLine($"openpaygo: {ex.Message}");
            return 2;
        }
    }

    /// <summary>Value flags map to their argument, switches to null.</summary>
    private static Dictionary<string, string?> ParseFlags(List<string> args)
    {
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flags.ContainsKey(flag))
            {
                throw new CliException($"{flag} is given twice");
            }

            if (SwitchFlags.Contains(flag))
            {
                flags[flag] = null;
            }
            else if (ValueFlags.Contains(flag))
            {
                if (i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new CliException($"{flag} needs a value");
                }

                flags[flag] = args[++i];
            }
            else
            {
                throw new CliException($"unknown flag '{flag}'");
            }
        }

        return flags;
    }

    private static string Required(Dictionary<string, string?> flags, string flag) =>
        flags.TryGetValue(flag, out string? value) ? value! : throw new CliException($"{flag} is required");

    private static byte[] ParseKey(string hex)
    {
        if (hex.Length != 32 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new CliException("--key must be 32 hex characters");
        }

        return Convert.FromHexString(hex);
    }

    private static T ParseNumber<T>(string flag, string text)
        where T : struct, IBinaryInteger<T>
    {
        return T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out T number)
            ? number
            : throw new CliException($"{flag} must be a non-negative whole number, got '{text}'");
    }

    private static OpenPaygoTokenType ParseType(string text) => text switch
    {
        "add-time" => OpenPaygoTokenType.AddTime,
        "set-time" => OpenPaygoTokenType.SetTime,
        "disable-payg" => OpenPaygoTokenType.DisablePayg,
        "counter-sync" => OpenPaygoTokenType.CounterSync,
        _ => throw new CliException($"--type must be add-time, set-time, disable-payg or counter-sync, got '{text}'"),
    };

    private sealed class CliException(string message) : Exception(message);
}
