namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// A token taken apart. <see cref="Block"/> is the decrypted 64-bit data block. The other fields
/// are filled in only for the token kinds that carry them, and mean nothing when <see cref="CrcOk"/>
/// is false (a CRC failure usually means the wrong key).
/// </summary>
public sealed record DecodedToken
{
    public required int TokenClass { get; init; }
    public required int Subclass { get; init; }
    public required ulong Block { get; init; }
    public required bool CrcOk { get; init; }

    public int? Rnd { get; init; }
    public int? Tid { get; init; }
    public DateTime? IssuedAt { get; init; }

    /// <summary>Class 0: the amount in 0.1 units (t).</summary>
    public long? Units { get; init; }

    /// <summary>Class 0: the amount the meter credits, in service units (kWh for electricity), t / 10.</summary>
    public decimal? Amount => Units is { } t ? TransferAmount.UnitsToAmount(t) : null;

    /// <summary>Class 2 management tokens: watts for the power limits, else the raw 16-bit field.</summary>
    public long? Value { get; init; }

    /// <summary>Class 1: the control field and the manufacturer code.</summary>
    public ulong? Control { get; init; }
    public int? ManufacturerCode { get; init; }
}
