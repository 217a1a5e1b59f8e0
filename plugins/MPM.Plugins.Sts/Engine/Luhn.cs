namespace MPM.Plugins.Sts.Engine;

public static class Luhn
{
    /// <summary>The Luhn check digit to append to <paramref name="payload"/> (decimal digits only).</summary>
    public static int CheckDigit(ReadOnlySpan<char> payload)
    {
        int sum = 0;
        bool doubleIt = true; // the rightmost payload digit sits next to the check digit, so it is doubled
        for (int i = payload.Length - 1; i >= 0; i--)
        {
            int d = payload[i] - '0';
            if (d is < 0 or > 9)
                throw new FormatException($"'{payload.ToString()}' is not all decimal digits");
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }
}
