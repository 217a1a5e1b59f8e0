namespace MPM.Plugins.OpenPaygo.Engine;

/// <summary>The device side of OpenPAYGO Token, used to check what the encoder produces.</summary>
public static class OpenPaygoDecoder
{
    public const int MaxJump = 64;
    public const int MaxJumpCounterSync = 100;
    public const int MaxUnusedOlderTokens = 16;

    /// <summary>
    /// Decodes a token for a device whose counter is <paramref name="lastCount"/> and which has already
    /// used <paramref name="usedCounts"/>. Standard or extended is told by the token's length.
    /// </summary>
    public static OpenPaygoDecodeResult Decode(
        string token,
        byte[] key16,
        uint startingCode,
        int lastCount,
        IReadOnlyCollection<int> usedCounts,
        bool restrictedDigits)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(usedCounts);
        TokenFormat.CheckKey(key16);
        TokenFormat.CheckStartingCode(startingCode);
        if (lastCount < 0)
        {
            throw new ArgumentException($"The last count must not be negative, got {lastCount}.");
        }

        if (!TokenFormat.TryParse(token, restrictedDigits, out TokenFormat format, out ulong tokenCode))
        {
            return Rejected(OpenPaygoDecodeStatus.Invalid, lastCount, usedCounts);
        }

        int tokenBase = format.BaseOf(tokenCode);
        int value = (tokenBase - format.BaseOf(startingCode) + format.BaseModulus) % format.BaseModulus;
        int maxCount = lastCount + (value == TokenFormat.CounterSyncValue ? MaxJumpCounterSync : MaxJump);
        bool matchedUsedCount = false;
        ulong code = format.WithBase(startingCode, tokenBase);
        for (int count = 1; count <= maxCount; count++)
        {
            code = format.Next(code, key16);
            if (format.WithBase(code, tokenBase) != tokenCode)
            {
                continue;
            }

            OpenPaygoTokenType type = TypeAt(count, value);
            bool isTimeType = type is OpenPaygoTokenType.AddTime or OpenPaygoTokenType.SetTime;
            if ((isTimeType && value > format.MaxTimeValue)
                || (type != OpenPaygoTokenType.CounterSync && count > lastCount + MaxJump))
            {
                continue;
            }

            if (!IsAcceptable(count, type, lastCount, usedCounts))
            {
                matchedUsedCount = true;
                continue;
            }

            return new OpenPaygoDecodeResult(
                OpenPaygoDecodeStatus.Valid,
                type,
                isTimeType ? value : null,
                count,
                Math.Max(lastCount, count),
                UpdatedUsedCounts(usedCounts, count, Math.Max(lastCount, count), type));
        }

        return Rejected(
            matchedUsedCount ? OpenPaygoDecodeStatus.AlreadyUsed : OpenPaygoDecodeStatus.Invalid,
            lastCount,
            usedCounts);
    }

    private static OpenPaygoTokenType TypeAt(int count, int value)
    {
        if (count % 2 == 0)
        {
            return OpenPaygoTokenType.AddTime;
        }

        return value switch
        {
            TokenFormat.DisablePaygValue => OpenPaygoTokenType.DisablePayg,
            TokenFormat.CounterSyncValue => OpenPaygoTokenType.CounterSync,
            _ => OpenPaygoTokenType.SetTime,
        };
    }

    private static bool IsAcceptable(int count, OpenPaygoTokenType type, int lastCount, IReadOnlyCollection<int> usedCounts)
    {
        if (type == OpenPaygoTokenType.CounterSync)
        {
            return count > lastCount - MaxJump;
        }

        if (count > lastCount)
        {
            return true;
        }

        // An add-time token older than the counter still counts if it is recent and was never entered.
        return type == OpenPaygoTokenType.AddTime
            && count > lastCount - MaxUnusedOlderTokens
            && !usedCounts.Contains(count);
    }

    /// <summary>
    /// Keeps the used counts of the window below the new counter. Any token other than add-time
    /// marks the whole window as used, so no older add-time token can follow it.
    /// </summary>
    private static List<int> UpdatedUsedCounts(IReadOnlyCollection<int> usedCounts, int count, int newLastCount, OpenPaygoTokenType type)
    {
        var updated = new List<int>();
        for (int c = Math.Max(1, newLastCount - MaxUnusedOlderTokens); c <= newLastCount; c++)
        {
            if (type != OpenPaygoTokenType.AddTime || c == count || usedCounts.Contains(c))
            {
                updated.Add(c);
            }
        }

        return updated;
    }

    private static OpenPaygoDecodeResult Rejected(OpenPaygoDecodeStatus status, int lastCount, IReadOnlyCollection<int> usedCounts) =>
        new(status, null, null, null, lastCount, usedCounts.ToList());
}
