using System.Globalization;
using System.Text.RegularExpressions;
using MPM.Plugins.Sts.Engine;

namespace MPM.Plugins.Sts.Cli;

/// <summary>
/// The <c>sts</c> command line: key, credit, manage, key-change, test and decode. Each verb prints its
/// result last on stdout. Exit codes: 0 success, 1 a decoded token failed its CRC, 2 a bad or missing
/// flag or value (one line on stderr says which and what is expected).
/// </summary>
public static partial class StsCli
{
    private const string Usage = """
        usage:
          sts key        <vending key flags>
          sts credit     <key flags> --issued "yyyy-MM-dd HH:mm[:ss]" --subclass 0|1|2 --amount KWH --rnd 0-15
          sts manage     <key flags> --issued "yyyy-MM-dd HH:mm[:ss]" --subclass 0|1|5|6 --value N --rnd 0-15
          sts key-change <vending key flags> --new-ti N --new-krn N [--new-sgc N] [--new-kt N] [--new-base-date YEAR] [--ken N] [--ro 0|1]
          sts test       --subclass 0|1 --control BINARY-DIGITS --manufacturer-code N
          sts decode     <key flags> --token 20DIGITS
        vending key flags: --vending-key HEX --dkga 02|04 --ea 07|11 --base-date 1993|2014|2035 --sgc N --ti N --krn N --kt N --pan PAN-OR-METER-NUMBER
        key flags: the vending key flags, or --dk HEX --ea 07|11 --base-date 1993|2014|2035
        """;

    private static readonly string[] VendingKeyFlags = ["--vending-key", "--dkga", "--ea", "--base-date", "--sgc", "--ti", "--krn", "--kt", "--pan"];
    private static readonly string[] KeyFlags = [.. VendingKeyFlags, "--dk"];

    private static readonly Dictionary<string, string[]> VerbFlags = new()
    {
        ["key"] = VendingKeyFlags,
        ["credit"] = [.. KeyFlags, "--issued", "--subclass", "--amount", "--rnd"],
        ["manage"] = [.. KeyFlags, "--issued", "--subclass", "--value", "--rnd"],
        ["key-change"] = [.. KeyFlags, "--new-ti", "--new-krn", "--new-sgc", "--new-kt", "--new-base-date", "--ken", "--ro"],
        ["test"] = ["--subclass", "--control", "--manufacturer-code"],
        ["decode"] = [.. KeyFlags, "--token"],
    };

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["--vending-key"] = "the vending key in hex (16 digits for DKGA02, 40 for DKGA04)",
        ["--dkga"] = "02 or 04",
        ["--ea"] = "07 (STA) or 11 (MISTY1)",
        ["--base-date"] = "1993, 2014 or 2035",
        ["--sgc"] = "a 6-digit supply group code",
        ["--ti"] = "a tariff index, 0 to 99",
        ["--krn"] = "a key revision number, 1 to 9",
        ["--kt"] = "a key type, 0 to 3",
        ["--pan"] = "an 18-digit meter PAN or an 11- or 13-digit meter number",
        ["--dk"] = "the decoder key in hex (16 digits for EA07, 32 for EA11)",
        ["--issued"] = "the issue time as \"yyyy-MM-dd HH:mm\" or \"yyyy-MM-dd HH:mm:ss\"",
        ["--amount"] = "an amount in kWh with at most one decimal, 0 to 1820162.4 (e.g. 25.6)",
        ["--rnd"] = "a random number, 0 to 15",
        ["--value"] = "a number: watts for subclasses 0 and 6 (up to 18201624), the register for 1 (0 to 65535), 0 for 5",
        ["--new-ti"] = "the new tariff index, 0 to 99",
        ["--new-krn"] = "the new key revision number, 1 to 9",
        ["--new-sgc"] = "the new 6-digit supply group code",
        ["--new-kt"] = "the new key type, 0 to 3",
        ["--new-base-date"] = "1993, 2014 or 2035",
        ["--ken"] = "a key expiry number, 0 to 255",
        ["--ro"] = "0 or 1",
        ["--control"] = "binary digits, at most 36 for subclass 0 and 28 for subclass 1",
        ["--manufacturer-code"] = "a manufacturer code, 0 to 255 for subclass 0 and 0 to 65535 for subclass 1",
        ["--token"] = "a 20-digit token",
    };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        string verb = args[0];
        if (verb is "help" or "--help" or "-h")
        {
            stdout.WriteLine(Usage);
            return 0;
        }
        try
        {
            if (!VerbFlags.TryGetValue(verb, out string[]? allowed))
                throw new UsageException($"unknown verb '{verb}': use key, credit, manage, key-change, test or decode");
            var flags = new Flags(verb, args.Skip(1).ToList(), allowed);
            return verb switch
            {
                "key" => Key(flags, stdout),
                "credit" => Credit(flags, stdout),
                "manage" => Manage(flags, stdout),
                "key-change" => KeyChange(flags, stdout),
                "test" => Test(flags, stdout),
                _ => Decode(flags, stdout),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"sts {verb}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            stderr.WriteLine($"sts {verb}: {OneLine(e)}");
            return 2;
        }
    }

    private static int Key(Flags flags, TextWriter stdout)
    {
        var (vendingKey, dkga, parameters) = VendingKeyInput(flags);
        byte[] key = dkga == KeyGenerationAlgorithm.Dkga02
            ? DecoderKeyGenerator.Dkga02(vendingKey, parameters)
            : DecoderKeyGenerator.Dkga04(vendingKey, parameters);
        stdout.WriteLine(Convert.ToHexString(key));
        return 0;
    }

    private static int Credit(Flags flags, TextWriter stdout)
    {
        var (key, baseDate) = ResolveKey(flags);
        var subclass = (CreditSubclass)flags.Int("--subclass", 0, 2, "0 (electricity), 1 (water) or 2 (gas)");
        stdout.WriteLine(StsTokens.Credit(key, baseDate, flags.Time("--issued"), subclass, flags.Amount("--amount"), flags.Int("--rnd", 0, 15)));
        return 0;
    }

    private static int Manage(Flags flags, TextWriter stdout)
    {
        var (key, baseDate) = ResolveKey(flags);
        const string subclasses = "0 (max power limit), 1 (clear credit), 5 (clear tamper) or 6 (max phase power unbalance limit)";
        int subclass = flags.Int("--subclass", 0, 6, subclasses);
        if (!Enum.IsDefined((ManagementSubclass)subclass))
            throw new UsageException($"--subclass expects {subclasses}, not '{subclass}'");
        long value = subclass == (int)ManagementSubclass.ClearTamperCondition && !flags.Has("--value")
            ? 0
            : flags.Long("--value", 0, TransferAmount.MaxUnits);
        stdout.WriteLine(StsTokens.Management(key, baseDate, flags.Time("--issued"), (ManagementSubclass)subclass, value, flags.Int("--rnd", 0, 15)));
        return 0;
    }

    private static int KeyChange(Flags flags, TextWriter stdout)
    {
        if (flags.Has("--dk"))
            throw new UsageException("key-change derives the new key, so it needs the vending key flags instead of --dk");
        var (vendingKey, dkga, current) = VendingKeyInput(flags);
        var next = current with
        {
            TariffIndex = flags.Int("--new-ti", 0, 99),
            KeyRevision = flags.Int("--new-krn", 1, 9),
            SupplyGroupCode = flags.Has("--new-sgc") ? flags.SupplyGroupCode("--new-sgc") : current.SupplyGroupCode,
            KeyType = flags.Has("--new-kt") ? flags.Int("--new-kt", 0, 3) : current.KeyType,
            BaseDate = flags.Has("--new-base-date") ? flags.BaseDate("--new-base-date") : current.BaseDate,
        };
        var fields = KeyChangeFields.For(next,
            flags.Has("--ken") ? flags.Int("--ken", 0, 255) : 255,
            flags.Has("--ro") && flags.Int("--ro", 0, 1) == 1);
        var tokens = StsTokens.KeyChange(
            DecoderKeyGenerator.Derive(dkga, vendingKey, current), DecoderKeyGenerator.Derive(dkga, vendingKey, next), fields);
        foreach (string token in tokens)
            stdout.WriteLine(token);
        return 0;
    }

    private static int Test(Flags flags, TextWriter stdout)
    {
        var subclass = (TestSubclass)flags.Int("--subclass", 0, 1);
        (int controlBits, int codeBits) = subclass == TestSubclass.InitiateMeterTest1 ? (36, 8) : (28, 16);
        string control = flags.Required("--control");
        if (control.Length is 0 || control.Length > controlBits || control.Any(c => c is not ('0' or '1')))
            throw new UsageException($"--control expects at most {controlBits} binary digits for subclass {(int)subclass}, not '{control}'");
        int code = flags.Int("--manufacturer-code", 0, (1 << codeBits) - 1);
        stdout.WriteLine(StsTokens.Test(subclass, Convert.ToUInt64(control, 2), code));
        return 0;
    }

    private static int Decode(Flags flags, TextWriter stdout)
    {
        var (key, baseDate) = ResolveKey(flags);
        string token = flags.Required("--token");
        if (token.Length != TokenNumber.Length || !token.All(char.IsAsciiDigit))
            throw new UsageException($"--token expects {Expected["--token"]}, not '{token}'");
        var decoded = StsTokens.Decode(token, key, baseDate);
        string head = $"class={decoded.TokenClass} subclass={decoded.Subclass}";
        if (!decoded.CrcOk)
        {
            stdout.WriteLine($"{head} crc=fail");
            return 1;
        }
        string body = decoded switch
        {
            { Amount: { } amount } => $" tid={decoded.Tid} amount={amount.ToString("0.0", CultureInfo.InvariantCulture)}",
            { Value: { } value } => $" tid={decoded.Tid} value={value}",
            { Control: { } control } => $" control={Convert.ToString((long)control, 2).PadLeft(decoded.Subclass == 0 ? 36 : 28, '0')} manufacturer-code={decoded.ManufacturerCode}",
            _ => $" block={decoded.Block:X16}",
        };
        stdout.WriteLine($"{head}{body} crc=ok");
        return 0;
    }

    private static (DecoderKey Key, BaseDate BaseDate) ResolveKey(Flags flags)
    {
        if (!flags.Has("--dk"))
        {
            var (vendingKey, dkga, parameters) = VendingKeyInput(flags);
            return (DecoderKeyGenerator.Derive(dkga, vendingKey, parameters), parameters.BaseDate);
        }
        string? clash = VendingKeyFlags.Except(["--ea", "--base-date"]).FirstOrDefault(flags.Has);
        if (clash is not null)
            throw new UsageException($"give either --dk or the vending key flags, not both (found --dk and {clash})");
        var algorithm = flags.Algorithm("--ea");
        string hex = flags.Required("--dk");
        if (hex.Length != 2 * DecoderKeyGenerator.KeyLength(algorithm) || !hex.All(char.IsAsciiHexDigit))
            throw new UsageException($"--dk expects {2 * DecoderKeyGenerator.KeyLength(algorithm)} hex digits for EA{(int)algorithm:D2}, not '{hex}'");
        return (DecoderKey.FromHex(hex, algorithm), flags.BaseDate("--base-date"));
    }

    private static (byte[] VendingKey, KeyGenerationAlgorithm Dkga, DecoderKeyParameters Parameters) VendingKeyInput(Flags flags)
    {
        var dkga = (KeyGenerationAlgorithm)flags.Int("--dkga", 2, 4, Expected["--dkga"]);
        if (!Enum.IsDefined(dkga))
            throw new UsageException($"--dkga expects {Expected["--dkga"]}, not '{flags.Required("--dkga")}'");
        int hexDigits = dkga == KeyGenerationAlgorithm.Dkga02 ? 16 : 40;
        string vendingKey = flags.Required("--vending-key");
        if (vendingKey.Length != hexDigits || !vendingKey.All(char.IsAsciiHexDigit))
            throw new UsageException($"--vending-key expects {hexDigits} hex digits for DKGA{(int)dkga:D2}, not '{vendingKey}'");
        MeterPan pan;
        try
        {
            pan = MeterPan.Parse(flags.Required("--pan"));
        }
        catch (FormatException e)
        {
            throw new UsageException($"--pan: {e.Message}");
        }
        var parameters = new DecoderKeyParameters(pan, flags.SupplyGroupCode("--sgc"), flags.Int("--ti", 0, 99), flags.Int("--krn", 1, 9),
            flags.Int("--kt", 0, 3), flags.BaseDate("--base-date"), flags.Algorithm("--ea"));
        return (Convert.FromHexString(vendingKey), dkga, parameters);
    }

    /// <summary>The first line of an engine message, without the " (Parameter 'x')" suffix.</summary>
    private static string OneLine(Exception e) => ParameterSuffix().Replace(e.Message.Split('\n')[0].TrimEnd(), "");

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();

    private sealed class UsageException(string message) : Exception(message);

    /// <summary>The --flag value pairs of one verb, each checked against what the verb accepts.</summary>
    private sealed class Flags
    {
        private readonly Dictionary<string, string> _values = [];

        public Flags(string verb, List<string> words, string[] allowed)
        {
            for (int i = 0; i < words.Count; i += 2)
            {
                string flag = words[i];
                if (!flag.StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"unexpected argument '{flag}': every value must follow a --flag");
                if (!allowed.Contains(flag))
                    throw new UsageException($"unknown flag {flag} for 'sts {verb}'");
                if (i + 1 >= words.Count)
                    throw new UsageException($"{flag} needs a value: {Expected[flag]}");
                if (!_values.TryAdd(flag, words[i + 1]))
                    throw new UsageException($"{flag} is given twice");
            }
        }

        public bool Has(string flag) => _values.ContainsKey(flag);

        public string Required(string flag) =>
            _values.TryGetValue(flag, out string? value) ? value : throw new UsageException($"missing {flag}: {Expected[flag]}");

        public long Long(string flag, long min, long max, string? expected = null)
        {
            string text = Required(flag);
            bool isNumber = text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit);
            long value = isNumber ? long.Parse(text, CultureInfo.InvariantCulture) : -1;
            if (!isNumber || value < min || value > max)
                throw new UsageException($"{flag} expects {expected ?? Expected[flag]}, not '{text}'");
            return value;
        }

        public int Int(string flag, int min, int max, string? expected = null) => (int)Long(flag, min, max, expected);

        public string SupplyGroupCode(string flag)
        {
            string text = Required(flag);
            return text.Length == 6 && text.All(char.IsAsciiDigit) ? text : throw new UsageException($"{flag} expects {Expected[flag]}, not '{text}'");
        }

        public BaseDate BaseDate(string flag) => (BaseDate)Int(flag, 1993, 2035) switch
        {
            var year when Enum.IsDefined(year) => year,
            _ => throw new UsageException($"{flag} expects {Expected[flag]}, not '{Required(flag)}'"),
        };

        public EncryptionAlgorithm Algorithm(string flag) => (EncryptionAlgorithm)Int(flag, 7, 11) switch
        {
            var ea when Enum.IsDefined(ea) => ea,
            _ => throw new UsageException($"{flag} expects {Expected[flag]}, not '{Required(flag)}'"),
        };

        public DateTime Time(string flag)
        {
            string text = Required(flag);
            return DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? time
                : throw new UsageException($"{flag} expects {Expected[flag]}, not '{text}'");
        }

        public decimal Amount(string flag)
        {
            string text = Required(flag);
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount)
                || amount * 10 != decimal.Truncate(amount * 10) || amount > TransferAmount.MaxUnits / 10m)
                throw new UsageException($"{flag} expects {Expected[flag]}, not '{text}'");
            return amount;
        }
    }
}
