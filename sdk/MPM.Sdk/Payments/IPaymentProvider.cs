namespace MPM.Sdk.Payments;

/// <summary>
/// A payment channel. Its plugin parses requests on its own endpoints and hands them to <see cref="IPaymentIntake"/>;
/// the host calls <see cref="ReportOutcomeAsync"/> through the durable outbox once a payment is confirmed or cancelled.
/// Registered keyed by the plugin id.
/// </summary>
public interface IPaymentProvider
{
    Task<OutcomeDelivery> ReportOutcomeAsync(PaymentOutcome outcome, CancellationToken cancellationToken);

    /// <summary>A Razor partial of the plugin that renders the provider-specific data on the transaction page (model: <see cref="PaymentOutcome"/>), or null.</summary>
    string? DetailPartial => null;
}

public sealed record PaymentOutcome(long TransactionId, string ProviderReference, bool Confirmed, string? Reason, string RawData);

/// <param name="Delivered">False asks the host to retry later.</param>
/// <param name="Response">What the provider answered, recorded on the transaction.</param>
public sealed record OutcomeDelivery(bool Delivered, string? Response);
