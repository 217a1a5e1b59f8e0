using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Features.Payments;

public sealed record MonthTotal(string Month, decimal Amount);

public sealed record SpendingTotal(string Type, decimal Amount);

public sealed record CustomerPaymentSummary(IReadOnlyList<TransactionRecord> Recent, IReadOnlyList<MonthTotal> PerMonth, IReadOnlyList<SpendingTotal> Spending);

/// <summary>A customer's payments for their page: the latest ones, confirmed amounts per month, and how the money was spent.</summary>
public sealed class CustomerPayments(MpmDb db)
{
    public async Task<CustomerPaymentSummary> SummaryAsync(long customerId, CancellationToken cancellationToken)
    {
        var payments = db.Transactions.Where(t => t.CustomerId == customerId);
        var recent = await payments.OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id).Take(50).ToListAsync(cancellationToken);
        var confirmed = await payments.Where(t => t.Status == TransactionStatus.Confirmed).Select(t => new { t.ReceivedAt, t.Amount }).ToListAsync(cancellationToken);
        var perMonth = confirmed.GroupBy(t => t.ReceivedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key).Select(g => new MonthTotal(g.Key, g.Sum(t => t.Amount))).ToList();
        // Net of reversals: a cancelled payment's allocations and their compensating entries cancel out.
        var spending = await (from a in db.Allocations
                              join t in db.Transactions on a.TransactionId equals t.Id
                              where t.CustomerId == customerId
                              group a by a.Type into g
                              select new SpendingTotal(g.Key, g.Sum(a => a.Amount))).ToListAsync(cancellationToken);
        return new CustomerPaymentSummary(recent, perMonth, spending.Where(s => s.Amount != 0).OrderBy(s => s.Type).ToList());
    }
}
