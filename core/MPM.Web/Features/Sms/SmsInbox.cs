using System.Globalization;
using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Sdk.Sms;
using MPM.Web.Features.Maintenance;
using MPM.Web.Features.Payments;

namespace MPM.Web.Features.Sms;

/// <summary>
/// What SMS gateway plugins hand to the host: incoming messages (stored once per gateway message id, linked to the
/// customer whose phone matches, and acted on when they carry a keyword: "resend &lt;meter&gt;", or a contractor's "ticket …"
/// reply, which <see cref="MaintenanceDesk.CommentFromSmsAsync"/> adds to their newest open ticket) and delivery reports (a sent message becomes
/// delivered or failed with the gateway's reason).
/// </summary>
public sealed partial class SmsInbox(MpmDb db, TimeProvider clock, PipelineSignal signal, MaintenanceDesk maintenance, ILogger<SmsInbox> logger) : ISmsInbox
{
    public const string ResendTemplate = "sms.resend";

    public async Task ReceiveAsync(IncomingSms message, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var customerId = await CustomerByPhoneAsync(message.From, cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var ids = await db.QueryToListAsync<long>("""
            INSERT INTO mpm.sms_messages (direction, phone, customer_id, body, status, gateway, gateway_message_id, next_attempt_at, created_at, updated_at)
            VALUES ('in', @phone, @customer, @body, 'received', @gateway, @gatewayMessageId, @now, @now, @now)
            ON CONFLICT (gateway, gateway_message_id) WHERE direction = 'in' AND gateway_message_id IS NOT NULL DO NOTHING
            RETURNING id
            """, cancellationToken,
            new DataParameter("phone", message.From.Trim()), new DataParameter("customer", customerId, DataType.Int64), new DataParameter("body", message.Text),
            new DataParameter("gateway", message.GatewayId), new DataParameter("gatewayMessageId", message.GatewayMessageId, DataType.Text), new DataParameter("now", now));
        if (ids.Count == 0)
        {
            // The gateway retried a webhook it had already delivered: the message and what it asked for happened once.
            logger.LogInformation("Incoming SMS {GatewayMessageId} from {Gateway} was already stored", message.GatewayMessageId, message.GatewayId);
            return;
        }

        var outcome = ResendPattern().Match(message.Text) is { Success: true } resend
            ? await ResendAsync(resend.Groups[1].Value, message.From, now, cancellationToken)
            : MaintenanceDesk.TicketReply(message.Text) is { } reply
                ? new Outcome(await maintenance.CommentFromSmsAsync(message.From, reply, cancellationToken), false)
                : null;
        if (outcome is not null)
        {
            await db.SmsMessages.Where(m => m.Id == ids[0]).Set(m => m.Reason, outcome.Note).UpdateAsync(cancellationToken);
            logger.LogInformation("Incoming SMS {Id} from {Phone}: {Outcome}", ids[0], message.From, outcome.Note);
        }

        await transaction.CommitAsync(cancellationToken);
        if (outcome?.Queued == true)
        {
            signal.Notify();
        }
    }

    public async Task DeliveryReportAsync(SmsDeliveryReport report, CancellationToken cancellationToken = default)
    {
        if (report.Status == SmsDeliveryStatus.Sent)
        {
            return; // Still on its way: the message is already 'sent'.
        }

        var delivered = report.Status == SmsDeliveryStatus.Delivered;
        var updated = await db.SmsMessages
            .Where(m => m.Direction == "out" && m.Gateway == report.GatewayId && m.GatewayMessageId == report.GatewayMessageId && m.Status == SmsStatus.Sent)
            .Set(m => m.Status, delivered ? SmsStatus.Delivered : SmsStatus.Failed)
            .Set(m => m.Reason, delivered ? null : string.IsNullOrWhiteSpace(report.Reason) ? "failed (the gateway gave no reason)" : report.Reason.Trim())
            .Set(m => m.UpdatedAt, clock.GetUtcNow())
            .UpdateAsync(cancellationToken);
        if (updated == 0)
        {
            logger.LogInformation("Delivery report from {Gateway} for unknown or already final message {GatewayMessageId}", report.GatewayId, report.GatewayMessageId);
        }
    }

    /// <summary>The customer whose phone is this number (the last 9 digits match, so +255… and 0… agree); the oldest if several.</summary>
    public async Task<long?> CustomerByPhoneAsync(string phone, CancellationToken cancellationToken)
    {
        var tail = PhoneTail(phone);
        if (tail.Length == 0)
        {
            return null;
        }

        var ids = await db.QueryToListAsync<long>(
            "SELECT id FROM mpm.customers WHERE right(regexp_replace(phone, '[^0-9]', '', 'g'), 9) = @tail ORDER BY id LIMIT 1",
            cancellationToken, new DataParameter("tail", tail));
        return ids.Count == 0 ? null : ids[0];
    }

    /// <summary>The digits that identify a phone whatever the prefix: the last 9.</summary>
    public static string PhoneTail(string phone)
    {
        var digits = string.Concat(phone.Where(char.IsAsciiDigit));
        return digits.Length <= 9 ? digits : digits[^9..];
    }

    private sealed record Outcome(string Note, bool Queued);

    /// <summary>"resend &lt;meter&gt;": the meter's last token again, to its customer's phone, only when asked from that phone.</summary>
    private async Task<Outcome> ResendAsync(string serial, string from, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var meter = await (
                from m in db.Meters
                join c in db.Customers on m.CustomerId equals c.Id
                where m.SerialNumber == serial
                select new { m.Id, m.SerialNumber, c.Phone, CustomerId = c.Id })
            .FirstOrDefaultAsync(cancellationToken);
        if (meter is null)
        {
            return new Outcome($"resend refused: no meter {serial}; nothing sent", false);
        }

        if (PhoneTail(meter.Phone) is var tail && (tail.Length == 0 || tail != PhoneTail(from)))
        {
            return new Outcome($"resend refused: meter {serial} does not belong to this phone; nothing sent", false);
        }

        var token = await db.Tokens.Where(t => t.MeterId == meter.Id).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        if (token is null)
        {
            return new Outcome($"resend refused: meter {serial} has no token yet; nothing sent", false);
        }

        var template = await db.SmsTemplates.Where(t => t.Key == ResendTemplate).Select(t => t.Body).FirstAsync(cancellationToken);
        var id = await db.InsertWithInt64IdentityAsync(new SmsMessageRecord
        {
            Direction = "out",
            Phone = meter.Phone,
            CustomerId = meter.CustomerId,
            TransactionId = token.TransactionId,
            Body = template.Replace("{meter}", meter.SerialNumber).Replace("{token}", SmsComposer.Grouped(token.Value))
                .Replace("{kwh}", token.Amount.ToString("0.0", CultureInfo.InvariantCulture)),
            Status = SmsStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, token: cancellationToken);
        return new Outcome($"resend: last token of meter {serial} queued as message #{id}", true);
    }

    [GeneratedRegex(@"^\s*resend\s+(\S+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ResendPattern();
}
