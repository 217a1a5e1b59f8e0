namespace MPM.Sdk.Tokens;

/// <summary>A meter manufacturer's token generator. Registered keyed by the plugin id.</summary>
public interface ITokenGenerator
{
    Task<GeneratedToken> GenerateCreditAsync(CreditTokenRequest request, CancellationToken cancellationToken);

    /// <summary>A page of the plugin about one meter (e.g. management tokens and token history), linked from the meter page; null if none.</summary>
    string? MeterPagePath(string meterSerial) => null;
}

/// <param name="ManufacturerSettings">The manufacturer-scope settings of the plugin (secrets decrypted).</param>
/// <param name="TransactionId">The payment it is for; a generator must return the same token when asked again for it.</param>
public sealed record CreditTokenRequest(
    long TransactionId,
    string MeterSerial,
    decimal EnergyKWh,
    IReadOnlyDictionary<string, string?> ManufacturerSettings);

public sealed record GeneratedToken(string Value, string Kind, decimal Amount, string Unit);

/// <summary>Thrown by a generator. <see cref="Transient"/> failures are retried; others cancel the payment.</summary>
public sealed class TokenGenerationException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}
