using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>Queues the SMS that tells a payer the outcome of their payment, from the editable templates.</summary>
public static class SmsComposer
{
    public const string Confirmed = "payment.confirmed";
    public const string ConfirmedWithoutToken = "payment.confirmed-no-token";
    public const string Cancelled = "payment.cancelled";

    /// <summary>Queues the message in the caller's database transaction; the SMS dispatcher sends it.</summary>
    public static async Task QueueAsync(MpmDb db, TransactionRecord payment, string template, TokenRecord? token, IReadOnlyList<AllocationRecord> allocations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var phone = payment.PayerPhone
            ?? await db.Customers.Where(c => c.Id == payment.CustomerId).Select(c => c.Phone).FirstAsync(cancellationToken);
        var body = await db.SmsTemplates.Where(t => t.Key == template).Select(t => t.Body).FirstAsync(cancellationToken);
        await db.InsertAsync(new SmsMessageRecord
        {
            Direction = "out",
            Phone = phone,
            CustomerId = payment.CustomerId,
            TransactionId = payment.Id,
            Body = Fill(body, payment, token, allocations),
            Status = SmsStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, token: cancellationToken);
    }

    public static string Fill(string template, TransactionRecord payment, TokenRecord? token, IReadOnlyList<AllocationRecord> allocations) => template
        .Replace("{meter}", payment.MeterSerial)
        .Replace("{token}", token is null ? "" : Grouped(token.Value))
        .Replace("{kwh}", (token?.Amount ?? 0m).ToString("0.0", CultureInfo.InvariantCulture))
        .Replace("{amount}", payment.Amount.ToString("0.##", CultureInfo.InvariantCulture))
        .Replace("{currency}", payment.Currency)
        .Replace("{allocations}", string.Join(", ", allocations.Select(a => $"{Describe(a)} {a.Amount.ToString("0.##", CultureInfo.InvariantCulture)}")))
        .Replace("{reason}", payment.Reason ?? "")
        .Replace("{reference}", payment.ProviderReference);

    /// <summary>A 20-digit token in groups of 4, as meters' keypads and receipts show it.</summary>
    public static string Grouped(string token) => string.Join('-', token.Chunk(4).Select(c => new string(c)));

    private static string Describe(AllocationRecord allocation) => allocation.Type switch
    {
        "asset-rate" => allocation.Description,
        "access-rate" => "access rate",
        _ => "energy",
    };
}
