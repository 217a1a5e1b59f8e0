namespace MPM.Plugins.OpenPaygo.Engine;

public static class OpenPaygoEncoder
{
    /// <summary>Device counters are 16-bit in the OpenPAYGO-HW reference decoder.</summary>
    public const int MaxCount = 65535;

    /// <summary>
    /// Generates the token that follows <paramref name="currentCount"/>. <paramref name="value"/> is
    /// required for add-time and set-time (0..995 standard, 0..999999 extended) and must be null for
    /// disable-payg and counter-sync. Throws <see cref="ArgumentException"/> on bad input.
    /// </summary>
    public static (int NewCount, string Token) Generate(
        byte[] key16,
        uint startingCode,
        int currentCount,
        OpenPaygoTokenType type,
        int? value,
        bool extended,
        bool restrictedDigits)
    {
        TokenFormat.CheckKey(key16);
        TokenFormat.CheckStartingCode(startingCode);
        if (currentCount < 0)
        {
            throw new ArgumentException($"The count must not be negative, got {currentCount}.");
        }

        TokenFormat format = TokenFormat.For(extended);
        int tokenValue = TokenValue(format, type, value);
        int newCount = NextCount(currentCount, type);
        if (newCount > MaxCount)
        {
            throw new ArgumentException($"The new count {newCount} is above the device maximum {MaxCount}.");
        }

        int tokenBase = (format.BaseOf(startingCode) + tokenValue) % format.BaseModulus;
        ulong code = format.WithBase(startingCode, tokenBase);
        for (int i = 0; i < newCount; i++)
        {
            code = format.Next(code, key16);
        }

        return (newCount, format.Format(format.WithBase(code, tokenBase), restrictedDigits));
    }

    /// <summary>Add-time tokens use even counts; all other types use odd counts.</summary>
    private static int NextCount(int count, OpenPaygoTokenType type)
    {
        bool wantsOdd = type != OpenPaygoTokenType.AddTime;
        bool isOdd = count % 2 == 1;
        return wantsOdd == isOdd ? count + 2 : count + 1;
    }

    private static int TokenValue(TokenFormat format, OpenPaygoTokenType type, int? value)
    {
        switch (type)
        {
            case OpenPaygoTokenType.AddTime:
            case OpenPaygoTokenType.SetTime:
                if (value is not int v)
                {
                    throw new ArgumentException("A value is required for add-time and set-time tokens.");
                }

                if (v < 0 || v > format.MaxTimeValue)
                {
                    throw new ArgumentException($"The value must be 0..{format.MaxTimeValue} for {FormatName(format)} tokens, got {v}.");
                }

                // On odd counts these two values mean disable-payg and counter-sync.
                if (type == OpenPaygoTokenType.SetTime && v is TokenFormat.DisablePaygValue or TokenFormat.CounterSyncValue)
                {
                    throw new ArgumentException($"The value {v} is reserved and cannot be used for a set-time token.");
                }

                return v;
            case OpenPaygoTokenType.DisablePayg:
            case OpenPaygoTokenType.CounterSync:
                if (value is not null)
                {
                    throw new ArgumentException("A value is not allowed for disable-payg and counter-sync tokens.");
                }

                return type == OpenPaygoTokenType.DisablePayg ? TokenFormat.DisablePaygValue : TokenFormat.CounterSyncValue;
            default:
                throw new ArgumentException($"Unknown token type {type}.");
        }
    }

    private static string FormatName(TokenFormat format) => format.IsExtended ? "extended" : "standard";
}
