using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Payments;
using MPM.Web.Features.Operator;

namespace MPM.Web.Features.Payments;

public sealed record MeterPaymentSummary(decimal Revenue, DateTimeOffset? LastPayment, IReadOnlyList<TransactionRecord> Recent);

/// <summary>A meter's payments for its page, and cash recorded by an operator.</summary>
public sealed class MeterPayments(MpmDb db, IPaymentIntake intake, OperatorProfile profile)
{
    public const string CashProvider = "cash";

    public async Task<MeterPaymentSummary> SummaryAsync(long meterId, CancellationToken cancellationToken)
    {
        var payments = db.Transactions.Where(t => t.MeterId == meterId);
        var revenue = await payments.Where(t => t.Status == TransactionStatus.Confirmed).SumAsync(t => (decimal?)t.Amount, cancellationToken) ?? 0m;
        var recent = await payments.OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Take(50).ToListAsync(cancellationToken);
        var last = await payments.Where(t => t.Status == TransactionStatus.Confirmed).MaxAsync(t => (DateTimeOffset?)t.ReceivedAt, cancellationToken);
        return new MeterPaymentSummary(revenue, last, recent);
    }

    public async Task<(long? TransactionId, string? Problem)> RecordCashAsync(long meterId, decimal? amount, string actor, CancellationToken cancellationToken)
    {
        if (amount is not > 0)
        {
            return (null, "enter the amount received, more than 0");
        }

        var serial = await db.Meters.Where(m => m.Id == meterId).Select(m => m.SerialNumber).FirstOrDefaultAsync(cancellationToken);
        if (serial is null)
        {
            return (null, "no such meter");
        }

        var currency = (await profile.GetAsync(cancellationToken)).Currency;
        var result = await intake.SubmitAsync(new IncomingPayment(CashProvider, $"cash-{Guid.NewGuid():N}", serial, amount.Value, currency, null,
            System.Text.Json.JsonSerializer.Serialize(new { recordedBy = actor, amount })), cancellationToken);
        return result.Accepted ? (result.TransactionId, null) : (null, result.RefusalMessage);
    }
}
