namespace MPM.Plugins.OpenPaygo.Engine;

public enum OpenPaygoDecodeStatus
{
    Valid,
    Invalid,
    AlreadyUsed,
}

/// <summary>
/// What a device learns from a token. <see cref="Value"/> is set for add-time and set-time only;
/// <see cref="Type"/>, <see cref="Value"/> and <see cref="Count"/> are null unless the token is valid.
/// <see cref="LastCount"/> and <see cref="UsedCounts"/> are the device state to keep for the next token.
/// </summary>
public sealed record OpenPaygoDecodeResult(
    OpenPaygoDecodeStatus Status,
    OpenPaygoTokenType? Type,
    int? Value,
    int? Count,
    int LastCount,
    IReadOnlyList<int> UsedCounts);
