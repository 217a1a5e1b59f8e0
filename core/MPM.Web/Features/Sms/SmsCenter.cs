using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Sdk;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Payments;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Features.Sms;

public enum AudienceKind
{
    MiniGrid,
    ConnectionGroup,
    ConnectionType,
    Customers,
}

/// <summary>Who a bulk SMS goes to: the customers of a mini-grid, of a customer group, or chosen ones.</summary>
public sealed record SmsAudience(AudienceKind Kind, long? Id, IReadOnlyList<long> CustomerIds)
{
    public bool IsComplete => Kind == AudienceKind.Customers ? CustomerIds.Count > 0 : Id is not null;
}

public sealed record SmsLogRow(long Id, DateTimeOffset At, string Direction, string Phone, long? CustomerId, string? CustomerName, string Status, string Body, string? Reason, string? Gateway);

/// <param name="SendId">The bulk send the messages belong to, for its progress; null when nothing was queued.</param>
public sealed record BulkSendResult(int Queued, string? Error, long? SendId = null);

/// <summary>Where the messages of one bulk send are: still queued, handed to the gateway, delivered or failed.</summary>
public sealed record BulkSendProgress(long Id, string Audience, string Body, int Recipients, int Queued, int Sent, int Delivered, int Failed, DateTimeOffset CreatedAt)
{
    /// <summary>Every message has left the outbox.</summary>
    public bool HandedOver => Queued == 0;

    /// <summary>Every message is delivered or failed: nothing more will change.</summary>
    public bool Finished => Queued == 0 && Sent == 0;
}

/// <summary>Bulk SMS (counted before sending, queued in one statement to the outbox) and the SMS log.</summary>
public sealed class SmsCenter(MpmDb db, AuditLog audit, TimeProvider clock, PipelineSignal signal, PluginHost plugins, OperatorProfile profile)
{
    public const int MaxBodyLength = 640;
    public const int PageSize = 50;
    public const string GatewayKey = "sms.gateway";

    /// <summary>The active plugins that are SMS gateways, by id.</summary>
    public IReadOnlyList<string> Gateways => plugins.Active.Where(p => p.Manifest?.Kinds.Contains(PluginKinds.Sms) == true).Select(p => p.Id).Order().ToList();

    public async Task<string?> GatewayAsync(CancellationToken cancellationToken = default) => (await profile.GetAsync(cancellationToken)).SmsGateway;

    /// <summary>Chooses the gateway the outbox sends through (null: none, messages wait queued); false for an id that is not an active SMS plugin.</summary>
    public async Task<bool> SetGatewayAsync(string? gatewayId, string actor, CancellationToken cancellationToken = default)
    {
        var id = string.IsNullOrWhiteSpace(gatewayId) ? null : gatewayId.Trim();
        if (id is not null && !Gateways.Contains(id))
        {
            return false;
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        if (id is null)
        {
            await db.OperatorSettings.Where(s => s.Key == GatewayKey).DeleteAsync(cancellationToken);
        }
        else
        {
            await db.InsertOrReplaceAsync(new OperatorSettingRecord { Key = GatewayKey, Value = id }, token: cancellationToken);
        }

        await audit.WriteAsync(actor, "sms.gateway", $"SMS gateway set to {id ?? "none"}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        profile.Invalidate();
        return true;
    }

    /// <summary>How many customers with a phone the message would reach.</summary>
    public async Task<int> CountAsync(SmsAudience audience, CancellationToken cancellationToken = default)
    {
        if (!audience.IsComplete)
        {
            return 0;
        }

        var (filter, parameters) = Filter(audience);
        var counts = await db.QueryToListAsync<int>($"SELECT count(*)::int FROM mpm.customers c WHERE {filter}", cancellationToken, parameters);
        return counts[0];
    }

    /// <summary>Queues one message per recipient with a phone, in one statement; the SMS worker sends them.</summary>
    public async Task<BulkSendResult> SendAsync(SmsAudience audience, string? body, string actor, CancellationToken cancellationToken = default)
    {
        var text = body?.Trim() ?? "";
        if (text.Length == 0)
        {
            return new BulkSendResult(0, "the message is empty");
        }

        if (text.Length > MaxBodyLength)
        {
            return new BulkSendResult(0, $"the message is longer than {MaxBodyLength} characters");
        }

        if (!audience.IsComplete)
        {
            return new BulkSendResult(0, "choose who receives the message");
        }

        var now = clock.GetUtcNow();
        var (filter, parameters) = Filter(audience);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var sendId = (await db.QueryToListAsync<long>(
            "INSERT INTO mpm.sms_bulk_sends (audience, body, recipients, sent_by, created_at) VALUES (@audience, @body, 0, @actor, @now) RETURNING id",
            cancellationToken,
            new DataParameter("audience", Describe(audience)), new DataParameter("body", text), new DataParameter("actor", actor), new DataParameter("now", now)))[0];
        var queued = await db.ExecuteAsync($"""
            INSERT INTO mpm.sms_messages (direction, phone, customer_id, body, status, next_attempt_at, created_at, updated_at, bulk_send_id)
            SELECT 'out', btrim(c.phone), c.id, @body, 'queued', @now, @now, @now, @send FROM mpm.customers c WHERE {filter} ORDER BY c.id
            """, cancellationToken, [.. parameters, new DataParameter("body", text), new DataParameter("now", now), new DataParameter("send", sendId)]);
        await db.ExecuteAsync("UPDATE mpm.sms_bulk_sends SET recipients = @queued WHERE id = @send", cancellationToken, new DataParameter("queued", queued), new DataParameter("send", sendId));
        await audit.WriteAsync(actor, "sms.bulk", $"{queued} message(s) queued to {Describe(audience)} (bulk send #{sendId})", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (queued > 0)
        {
            signal.Notify();
        }

        return new BulkSendResult(queued, null, sendId);
    }

    /// <summary>How far a bulk send has got, counted from its messages' statuses; null for an unknown id.</summary>
    public async Task<BulkSendProgress?> ProgressAsync(long sendId, CancellationToken cancellationToken = default)
    {
        var rows = await db.QueryToListAsync<ProgressRow>(
            """
            SELECT s.id, s.audience, s.body, s.recipients, s.created_at,
                   count(m.id) FILTER (WHERE m.status = 'queued')::int AS queued,
                   count(m.id) FILTER (WHERE m.status = 'sent')::int AS sent,
                   count(m.id) FILTER (WHERE m.status = 'delivered')::int AS delivered,
                   count(m.id) FILTER (WHERE m.status = 'failed')::int AS failed
            FROM mpm.sms_bulk_sends s LEFT JOIN mpm.sms_messages m ON m.bulk_send_id = s.id
            WHERE s.id = @send
            GROUP BY s.id
            """,
            cancellationToken,
            new DataParameter("send", sendId));
        return rows is [var r] ? new BulkSendProgress(r.Id, r.Audience, r.Body, r.Recipients, r.Queued, r.Sent, r.Delivered, r.Failed, r.CreatedAt) : null;
    }

    private sealed class ProgressRow
    {
        [LinqToDB.Mapping.Column("id")] public long Id { get; set; }
        [LinqToDB.Mapping.Column("audience")] public string Audience { get; set; } = "";
        [LinqToDB.Mapping.Column("body")] public string Body { get; set; } = "";
        [LinqToDB.Mapping.Column("recipients")] public int Recipients { get; set; }
        [LinqToDB.Mapping.Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
        [LinqToDB.Mapping.Column("queued")] public int Queued { get; set; }
        [LinqToDB.Mapping.Column("sent")] public int Sent { get; set; }
        [LinqToDB.Mapping.Column("delivered")] public int Delivered { get; set; }
        [LinqToDB.Mapping.Column("failed")] public int Failed { get; set; }
    }

    private static string Describe(SmsAudience audience) => audience.Kind switch
    {
        AudienceKind.MiniGrid => $"mini-grid #{audience.Id}",
        AudienceKind.ConnectionGroup => $"connection group #{audience.Id}",
        AudienceKind.ConnectionType => $"connection type #{audience.Id}",
        _ => $"{audience.CustomerIds.Count} chosen customer(s)",
    };

    /// <summary>
    /// The recipients' condition on customers c: a phone, and a meter or an address in the mini-grid, a meter in the
    /// connection group, the connection type (the customer's or a meter's), or one of the chosen ids.
    /// </summary>
    private static (string Sql, DataParameter[] Parameters) Filter(SmsAudience audience)
    {
        const string hasPhone = "btrim(c.phone) <> ''";
        return audience.Kind switch
        {
            AudienceKind.MiniGrid => ($"""
                {hasPhone} AND (
                    EXISTS (SELECT 1 FROM mpm.meters m JOIN mpm.villages v ON v.id = m.village_id WHERE m.customer_id = c.id AND v.mini_grid_id = @id)
                    OR EXISTS (SELECT 1 FROM mpm.addresses a JOIN mpm.villages v ON v.id = a.village_id WHERE a.customer_id = c.id AND v.mini_grid_id = @id))
                """, [new DataParameter("id", audience.Id)]),
            AudienceKind.ConnectionGroup => ($"{hasPhone} AND EXISTS (SELECT 1 FROM mpm.meters m WHERE m.customer_id = c.id AND m.connection_group_id = @id)",
                [new DataParameter("id", audience.Id)]),
            AudienceKind.ConnectionType => ($"{hasPhone} AND (c.connection_type_id = @id OR EXISTS (SELECT 1 FROM mpm.meters m WHERE m.customer_id = c.id AND m.connection_type_id = @id))",
                [new DataParameter("id", audience.Id)]),
            _ => ($"{hasPhone} AND c.id = ANY(@ids)", [new DataParameter("ids", audience.CustomerIds.Distinct().ToArray())]),
        };
    }

    /// <summary>The SMS log, newest first: one search over phone, text and customer name; optional direction and status.</summary>
    public async Task<Paged<SmsLogRow>> LogAsync(string? search, string? direction, string? status, int page, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, int.MaxValue / PageSize);
        var query =
            from m in db.SmsMessages
            from c in db.Customers.LeftJoin(c => c.Id == m.CustomerId)
            select new { m, c };
        if (direction is "in" or "out")
        {
            query = query.Where(r => r.m.Direction == direction);
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            query = query.Where(r => r.m.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(r => r.m.Phone.Contains(term) || r.m.Body.ToLower().Contains(term) || (r.c != null && r.c.SearchText.Contains(term)));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.m.CreatedAt).ThenByDescending(r => r.m.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(r => new SmsLogRow(r.m.Id, r.m.CreatedAt, r.m.Direction, r.m.Phone, r.m.CustomerId, r.c == null ? null : r.c.Name + " " + r.c.Surname, r.m.Status, r.m.Body, r.m.Reason, r.m.Gateway))
            .ToListAsync(cancellationToken);
        return new Paged<SmsLogRow>(rows, page, PageSize, total);
    }
}
