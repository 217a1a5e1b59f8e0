namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// The 18-digit meter primary account number: IIN ("600727" or "0000") + IAIN (the meter number,
/// 11 or 13 digits, whose last digit is the DRN check digit) + one Luhn check digit.
/// </summary>
public sealed record MeterPan
{
    public const string LegacyIin = "600727";
    public const string ShortIin = "0000";

    private MeterPan(string iin, string iain)
    {
        Iin = iin;
        Iain = iain;
        Digits = iin + iain + Luhn.CheckDigit(iin + iain).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Iin { get; }

    /// <summary>The meter number (decoder reference number) including its DRN check digit.</summary>
    public string Iain { get; }

    public string Digits { get; }

    public override string ToString() => Digits;

    /// <summary>
    /// Accepts an 11-digit meter number (IIN 600727), a 13-digit one (IIN 0000) or an 18-digit PAN.
    /// Every check digit is verified.
    /// </summary>
    public static MeterPan Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || !value.All(char.IsAsciiDigit))
            throw new FormatException($"meter number or PAN '{value}' must be 11, 13 or 18 decimal digits");
        return value.Length switch
        {
            11 => FromMeterNumber(LegacyIin, value),
            13 => FromMeterNumber(ShortIin, value),
            18 => FromPan(value),
            _ => throw new FormatException($"meter number or PAN '{value}' must be 11, 13 or 18 decimal digits"),
        };
    }

    private static MeterPan FromMeterNumber(string iin, string meterNumber)
    {
        int expected = Luhn.CheckDigit(meterNumber.AsSpan(0, meterNumber.Length - 1));
        if (meterNumber[^1] - '0' != expected)
            throw new FormatException($"meter number {meterNumber} has a wrong check digit (expected {expected})");
        return new MeterPan(iin, meterNumber);
    }

    private static MeterPan FromPan(string pan)
    {
        string iin = pan.StartsWith(LegacyIin, StringComparison.Ordinal) ? LegacyIin
            : pan.StartsWith(ShortIin, StringComparison.Ordinal) ? ShortIin
            : throw new FormatException($"PAN {pan} must start with IIN {LegacyIin} or {ShortIin}");
        var parsed = FromMeterNumber(iin, pan[iin.Length..^1]);
        if (parsed.Digits != pan)
            throw new FormatException($"PAN {pan} has a wrong check digit (expected {parsed.Digits[^1]})");
        return parsed;
    }

    /// <summary>
    /// The PAN used for a common key (key type 3): the meter number is replaced by zeros and the
    /// check digit recomputed.
    /// </summary>
    public MeterPan WithZeroIain() => new(Iin, new string('0', Iain.Length));
}
