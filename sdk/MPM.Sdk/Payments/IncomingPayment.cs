namespace MPM.Sdk.Payments;

/// <summary>A payment as a provider plugin parsed it from its provider's request.</summary>
/// <param name="ProviderReference">The provider's unique id of the payment; a repeat of it is the same payment.</param>
/// <param name="RawData">The provider's request as received, kept for operators and disputes.</param>
public sealed record IncomingPayment(
    string ProviderId,
    string ProviderReference,
    string MeterSerial,
    decimal Amount,
    string Currency,
    string? PayerPhone,
    string RawData);
