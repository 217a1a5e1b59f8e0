namespace MPM.Sdk.Payments;

/// <summary>The core's payment intake. Answers only after an accepted payment is stored durably.</summary>
public interface IPaymentIntake
{
    Task<IntakeResult> SubmitAsync(IncomingPayment payment, CancellationToken cancellationToken = default);
}

/// <param name="Duplicate">True when the provider reference was seen before; the result is the first one's.</param>
/// <param name="RefusalCode">One of <see cref="RefusalCodes"/> when refused.</param>
public sealed record IntakeResult(bool Accepted, long? TransactionId, bool Duplicate, string? RefusalCode, string? RefusalMessage);

public static class RefusalCodes
{
    public const string UnknownMeter = "unknown-meter";
    public const string MeterNotInUse = "meter-not-in-use";
    public const string InvalidAmount = "invalid-amount";
    public const string InvalidRequest = "invalid-request";
}
