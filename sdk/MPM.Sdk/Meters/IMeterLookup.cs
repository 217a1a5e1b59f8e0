namespace MPM.Sdk.Meters;

/// <summary>Read-only look-up of meters for plugins.</summary>
public interface IMeterLookup
{
    Task<MeterInfo?> FindBySerialAsync(string serialNumber, CancellationToken cancellationToken = default);
}

public sealed record MeterInfo(
    long Id,
    string SerialNumber,
    bool InUse,
    long ManufacturerId,
    string? ManufacturerName,
    string? TokenGenerator,
    long? CustomerId,
    string? CustomerName,
    string? CustomerPhone);
