using System.Globalization;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>Queues the SMS that tells a payer the outcome of their payment, from the editable templates.</summary>
public static class SmsComposer
{
    public const string Confirmed = "payment.confirmed";
    public const string ConfirmedWithoutToken = "payment.confirmed-no-token";
    public const string Cancelled = "payment.cancelled";

    /// <summary>What one payer is told: their payment (with its outcome), its token and allocations.</summary>
    public sealed record PaymentMessage(TransactionRecord Payment, TokenRecord? Token, IReadOnlyList<AllocationRecord> Allocations);

    /// <summary>Queues the messages in the caller's database transaction; the SMS dispatcher sends them.</summary>
    public static async Task QueueAsync(MpmDb db, IReadOnlyList<PaymentMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var customerIds = messages.Where(m => m.Payment.PayerPhone is null).Select(m => m.Payment.CustomerId).Distinct().ToList();
        var phones = customerIds.Count == 0
            ? []
            : await db.Customers.Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Phone, cancellationToken);
        var templates = await db.SmsTemplates.ToDictionaryAsync(t => t.Key, t => t.Body, cancellationToken);
        var rows = messages.Select(m => new SmsMessageRecord
        {
            Direction = "out",
            Phone = m.Payment.PayerPhone ?? phones[m.Payment.CustomerId],
            CustomerId = m.Payment.CustomerId,
            TransactionId = m.Payment.Id,
            Body = Fill(templates[TemplateFor(m)], m.Payment, m.Token, m.Allocations),
            Status = SmsStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await db.InsertRowsAsync(rows, cancellationToken);
    }

    private static string TemplateFor(PaymentMessage message) =>
        message.Payment.Status == TransactionStatus.Cancelled ? Cancelled : message.Token is null ? ConfirmedWithoutToken : Confirmed;

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
