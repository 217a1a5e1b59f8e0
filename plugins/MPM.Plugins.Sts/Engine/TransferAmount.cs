using System.Globalization;

namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// The 16-bit amount field: exponent e (bits 15..14) and mantissa m (bits 13..0), with
/// t = m·10^e + Σ_{i=1..e} 2^14·10^(i−1). t is an integer count of 0.1 units (0.1 kWh for electricity)
/// or, for the power-limit management tokens, of watts.
/// The mantissa is rounded UP, so the meter may receive slightly more than asked: 2000.0 kWh
/// (t = 20000) encodes as e=1, m=362 and is credited as 2000.4 kWh.
/// </summary>
public static class TransferAmount
{
    /// <summary>The largest encodable t (field 0xFFFF).</summary>
    public const long MaxUnits = 18_201_624;

    private static readonly long[] Offset = [0, 16_384, 180_224, 1_818_624];
    private static readonly long[] PowerOfTen = [1, 10, 100, 1000];

    public static ushort Encode(long units)
    {
        if (units is < 0 or > MaxUnits)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"the amount must be 0 to {MaxUnits} units");
        int e = 0;
        while (units - Offset[e] >= 16_384 * PowerOfTen[e])
            e++;
        long m = (units - Offset[e] + PowerOfTen[e] - 1) / PowerOfTen[e];
        // A mantissa rounded up to 16384 carries into the next exponent: (e << 14) + m does exactly that.
        return (ushort)((e << 14) + m);
    }

    public static long Decode(ushort field)
    {
        int e = field >> 14;
        return (field & 0x3FFF) * PowerOfTen[e] + Offset[e];
    }

    /// <summary>Converts an amount in service units (kWh for electricity), a multiple of 0.1, to t.</summary>
    public static long AmountToUnits(decimal amount)
    {
        decimal tenths = amount * 10;
        if (tenths != decimal.Truncate(tenths))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"amount {amount} must be a multiple of 0.1"), nameof(amount));
        if (tenths < 0 || tenths > MaxUnits)
            throw new ArgumentOutOfRangeException(nameof(amount), amount,
                string.Create(CultureInfo.InvariantCulture, $"the amount must be 0 to {MaxUnits / 10m:0.0}"));
        return (long)tenths;
    }

    /// <summary>t back to service units: t / 10.</summary>
    public static decimal UnitsToAmount(long units) => units / 10m;
}
