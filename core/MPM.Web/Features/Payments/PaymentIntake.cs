using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Sdk.Payments;
using MPM.Web.Features.Operator;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Validates a payment and stores it durably, in one database transaction, before anyone is answered. The same
/// provider reference again gives the same transaction and answer, never a second one — also under concurrent
/// repeats (the unique (provider, provider_reference) decides). Refused payments are logged, not stored as transactions.
/// </summary>
public sealed class PaymentIntake(Database database, OperatorProfile profile, PipelineSignal signal, TimeProvider clock, ILogger<PaymentIntake> logger) : IPaymentIntake
{
    public const int MaxReferenceLength = 100;
    public const decimal MaxAmount = 1_000_000_000m;

    public async Task<IntakeResult> SubmitAsync(IncomingPayment payment, CancellationToken cancellationToken = default)
    {
        var currency = (await profile.GetAsync(cancellationToken)).Currency;
        await using var db = database.Connect();
        if (Problem(payment, currency) is { } problem)
        {
            return await RefuseAsync(db, payment, problem.Code, problem.Message, cancellationToken);
        }

        var reference = payment.ProviderReference.Trim();
        var serial = payment.MeterSerial.Trim();
        var now = clock.GetUtcNow();
        // One statement, so atomic: the transaction for an in-use meter with its "received" event; nothing for an
        // unknown meter or a reference already stored (a concurrent repeat waits on the unique index, then stores nothing).
        var stored = await db.QueryToListAsync<long>("""
            WITH meter AS (
                SELECT m.id, m.customer_id, m.village_id, v.mini_grid_id, g.cluster_id, m.connection_type_id
                FROM mpm.meters m JOIN mpm.villages v ON v.id = m.village_id JOIN mpm.mini_grids g ON g.id = v.mini_grid_id
                WHERE m.serial_number = @serial AND m.in_use),
            inserted AS (
                INSERT INTO mpm.transactions (provider, provider_reference, meter_id, meter_serial, customer_id, village_id, mini_grid_id, cluster_id,
                    connection_type_id, amount, currency, payer_phone, raw_data, status, next_attempt_at, received_at)
                SELECT @provider, @reference, id, @serial, customer_id, village_id, mini_grid_id, cluster_id, connection_type_id, @amount,
                    @currency, @phone, @raw, 'received', @now, @now
                FROM meter
                ON CONFLICT (provider, provider_reference) DO NOTHING
                RETURNING id),
            logged AS (
                INSERT INTO mpm.transaction_events (transaction_id, at, event, details) SELECT id, @now, 'received', @details FROM inserted)
            SELECT id FROM inserted
            """, cancellationToken,
            new DataParameter("provider", payment.ProviderId), new DataParameter("reference", reference), new DataParameter("serial", serial),
            new DataParameter("amount", payment.Amount, DataType.Decimal), new DataParameter("currency", currency),
            new DataParameter("phone", string.IsNullOrWhiteSpace(payment.PayerPhone) ? null : payment.PayerPhone.Trim(), DataType.Text),
            new DataParameter("raw", payment.RawData), new DataParameter("now", now),
            new DataParameter("details", $"{payment.Amount} {currency} from {payment.ProviderId} ({reference})"));
        if (stored.Count == 1)
        {
            signal.Notify();
            logger.LogInformation("Payment {TransactionId} received: {Provider} {Reference}, meter {Serial}, {Amount}", stored[0], payment.ProviderId, reference, serial, payment.Amount);
            return new IntakeResult(true, stored[0], false, null, null);
        }

        if (await ExistingAsync(db, payment.ProviderId, reference, cancellationToken) is { } existing)
        {
            logger.LogInformation("Payment {TransactionId} repeated: {Provider} {Reference} again, nothing stored", existing, payment.ProviderId, reference);
            return new IntakeResult(true, existing, true, null, null);
        }

        return await db.Meters.Where(m => m.SerialNumber == serial).Select(m => (bool?)m.InUse).FirstOrDefaultAsync(cancellationToken) switch
        {
            null => await RefuseAsync(db, payment, RefusalCodes.UnknownMeter, $"no meter with serial number {serial}", cancellationToken),
            false => await RefuseAsync(db, payment, RefusalCodes.MeterNotInUse, $"meter {serial} is not in use", cancellationToken),
            // Only when a concurrent repeat held the reference and then failed: submit again.
            true => await SubmitAsync(payment, cancellationToken),
        };
    }

    private static Task<long?> ExistingAsync(MpmDb db, string provider, string reference, CancellationToken cancellationToken) =>
        db.Transactions.Where(t => t.Provider == provider && t.ProviderReference == reference).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);

    private static (string Code, string Message)? Problem(IncomingPayment payment, string currency)
    {
        if (string.IsNullOrWhiteSpace(payment.ProviderId) || string.IsNullOrWhiteSpace(payment.ProviderReference) || payment.ProviderReference.Trim().Length > MaxReferenceLength)
        {
            return (RefusalCodes.InvalidRequest, $"a provider and a provider reference of 1 to {MaxReferenceLength} characters are required");
        }

        if (string.IsNullOrWhiteSpace(payment.MeterSerial))
        {
            return (RefusalCodes.UnknownMeter, "the payment names no meter");
        }

        if (payment.Amount <= 0 || payment.Amount > MaxAmount || decimal.Round(payment.Amount, 2) != payment.Amount)
        {
            return (RefusalCodes.InvalidAmount, $"the amount must be positive, at most {MaxAmount} and have at most 2 decimals");
        }

        return string.Equals(payment.Currency?.Trim(), currency, StringComparison.OrdinalIgnoreCase)
            ? null
            : (RefusalCodes.InvalidAmount, $"the currency must be {currency}");
    }

    private async Task<IntakeResult> RefuseAsync(MpmDb db, IncomingPayment payment, string code, string message, CancellationToken cancellationToken)
    {
        await db.InsertAsync(new IntakeRefusalRecord
        {
            Provider = payment.ProviderId ?? "",
            ProviderReference = Truncate(payment.ProviderReference, MaxReferenceLength),
            MeterSerial = Truncate(payment.MeterSerial, 100),
            Amount = payment.Amount is > 0 and <= MaxAmount ? decimal.Round(payment.Amount, 2) : null,
            ReasonCode = code,
            Message = message,
            At = clock.GetUtcNow(),
        }, token: cancellationToken);
        logger.LogWarning("Payment refused: {Provider} {Reference}, meter {Serial}: {Code} ({Message})", payment.ProviderId, payment.ProviderReference, payment.MeterSerial, code, message);
        return new IntakeResult(false, null, false, code, message);
    }

    private static string Truncate(string? value, int length) => value is null ? "" : value.Length <= length ? value : value[..length];
}
