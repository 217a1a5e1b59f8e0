namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// The 20-digit token number: the 2 class bits are swapped into bits 28 and 27 of the 64-bit
/// (encrypted) block, whose displaced bits become bits 65 and 64 of the 66-bit number.
/// </summary>
public static class TokenNumber
{
    public const int Length = 20;
    private const ulong ClassBitsMask = 3UL << 27;

    public static string Format(int tokenClass, ulong block)
    {
        if (tokenClass is < 0 or > 3)
            throw new ArgumentOutOfRangeException(nameof(tokenClass), tokenClass, "the token class is 0 to 3");
        ulong displaced = (block & ClassBitsMask) >> 27;
        ulong low = block & ~ClassBitsMask | (ulong)tokenClass << 27;
        var value = new UInt128(displaced, low);
        return value.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Splits a 20-digit token into its class and its 64-bit (still encrypted) block.</summary>
    public static (int TokenClass, ulong Block) Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length != Length || !token.All(char.IsAsciiDigit))
            throw new FormatException($"a token is {Length} decimal digits, not '{token}'");
        UInt128 value = 0;
        foreach (char c in token)
            value = value * 10 + (uint)(c - '0');
        if (value >> 66 != 0)
            throw new FormatException($"token {token} is too large: it must be below 2^66");
        ulong low = (ulong)value, displaced = (ulong)(value >> 64);
        int tokenClass = (int)((low & ClassBitsMask) >> 27);
        return (tokenClass, low & ~ClassBitsMask | displaced << 27);
    }
}
