using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LinqToDB.Data;
using LinqToDB.Mapping;
using MPM.Data;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Features.Operations;

/// <summary>
/// <c>GET /metrics</c>: the pipeline's figures in the Prometheus text format (0.0.4), read from the database at each
/// scrape, so every host of a cluster reports the same totals. Who may scrape (<see cref="MetricsAccess"/>): a caller with
/// a valid REST API key (<c>X-Api-Key</c>), a caller with <c>Authorization: Bearer {Metrics:BearerToken}</c> when that
/// setting is configured, or anyone from an address in <c>Metrics:AllowAnonymousFrom</c> (addresses or CIDR networks,
/// comma-separated; empty by default). Anyone else gets 401.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void MapMetrics(this IEndpointRouteBuilder endpoints) =>
        // Anonymous to the cookie/role policy: the handler authenticates the scraper itself (API key, bearer token or allow-list).
        endpoints.MapGet(Path, HandleAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task HandleAsync(HttpContext context, MetricsAccess access, Database database, PluginHost plugins, TimeProvider clock, ILoggerFactory loggers)
    {
        if (!await access.AllowsAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
            await context.Response.WriteAsync("metrics need an API key (X-Api-Key), the configured bearer token, or an allowed address\n", context.RequestAborted);
            return;
        }

        var text = new MetricsText();
        var started = clock.GetTimestamp();
        try
        {
            await WritePipelineAsync(text, database, context.RequestAborted);
            text.Gauge("mpm_database_up", "1 when the database answered this scrape.", 1);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A scrape that cannot reach the database still answers, so the alert on mpm_database_up fires.
            loggers.CreateLogger(typeof(MetricsEndpoint)).LogError(e, "Metrics: the database did not answer");
            text.Gauge("mpm_database_up", "1 when the database answered this scrape.", 0);
        }

        text.Family("mpm_plugin_up", "gauge", "1 for each plugin that loaded and is active, 0 for one that failed or is disabled.");
        foreach (var plugin in plugins.Plugins)
        {
            text.Sample("mpm_plugin_up", plugin.Status == PluginStatus.Active ? 1 : 0, ("plugin", plugin.Id), ("status", plugin.Status.ToString().ToLowerInvariant()));
        }

        text.Gauge("mpm_metrics_scrape_duration_seconds", "How long this scrape took to gather.", (decimal)clock.GetElapsedTime(started).TotalSeconds);
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    private static async Task WritePipelineAsync(MetricsText text, Database database, CancellationToken cancellationToken)
    {
        await using var db = database.Connect();
        var payments = await db.QueryToListAsync<ProviderStatusRow>(
            "SELECT provider, status, count(*) AS count, coalesce(sum(amount), 0) AS amount FROM mpm.transactions GROUP BY provider, status ORDER BY provider, status",
            cancellationToken);
        var figures = (await db.QueryToListAsync<FiguresRow>("""
            SELECT
                coalesce(extract(epoch FROM now() - (SELECT min(received_at) FROM mpm.transactions WHERE status IN ('received', 'processing'))), 0) AS lag,
                (SELECT count(*) FROM mpm.transactions WHERE status = 'processing' AND attempts > 0) AS token_retrying,
                (SELECT count(*) FROM mpm.intake_refusals) AS refusals,
                coalesce(extract(epoch FROM now() - (SELECT min(created_at) FROM mpm.provider_outbox WHERE status = 'pending')), 0) AS outbox_oldest,
                coalesce(extract(epoch FROM now() - (SELECT min(created_at) FROM mpm.sms_messages WHERE status = 'queued')), 0) AS sms_oldest,
                (SELECT count(*) FROM mpm.tokens) AS tokens
            """, cancellationToken)).Single();
        var outbox = await db.QueryToListAsync<StatusRow>("SELECT provider AS label, status, count(*) AS count FROM mpm.provider_outbox GROUP BY provider, status ORDER BY 1, 2", cancellationToken);
        var sms = await db.QueryToListAsync<StatusRow>("SELECT direction AS label, status, count(*) AS count FROM mpm.sms_messages GROUP BY direction, status ORDER BY 1, 2", cancellationToken);

        text.Family("mpm_payments_received_total", "counter", "Payments stored by intake (every status), by provider.");
        foreach (var provider in payments.GroupBy(p => p.Provider))
        {
            text.Sample("mpm_payments_received_total", provider.Sum(p => p.Count), ("provider", provider.Key));
        }

        foreach (var (status, help) in new[] { ("confirmed", "Payments confirmed (token and allocations made), by provider."), ("cancelled", "Payments cancelled with a reason, by provider.") })
        {
            text.Family($"mpm_payments_{status}_total", "counter", help);
            foreach (var row in payments.Where(p => p.Status == status))
            {
                text.Sample($"mpm_payments_{status}_total", row.Count, ("provider", row.Provider));
            }
        }

        text.Family("mpm_payments_confirmed_amount_total", "counter", "Money of confirmed payments, in the operator's currency, by provider.");
        foreach (var row in payments.Where(p => p.Status == "confirmed"))
        {
            text.Sample("mpm_payments_confirmed_amount_total", row.Amount, ("provider", row.Provider));
        }

        text.Family("mpm_payments_unfinished", "gauge", "Payments not yet confirmed or cancelled: received (waiting for allocation) or processing (waiting for the token).");
        foreach (var status in new[] { "received", "processing" })
        {
            text.Sample("mpm_payments_unfinished", payments.Where(p => p.Status == status).Sum(p => p.Count), ("status", status));
        }

        text.Gauge("mpm_payments_processing_lag_seconds", "Age of the oldest unfinished payment (0 when none): alert when it keeps growing.", figures.Lag);
        text.Gauge("mpm_payments_token_retrying", "Unfinished payments whose token failed at least once and waits for a retry.", figures.TokenRetrying);
        text.Counter("mpm_intake_refusals_total", "Payments refused at intake (unknown meter, bad amount, ...).", figures.Refusals);
        text.Counter("mpm_tokens_total", "Tokens issued (one per confirmed payment that bought energy).", figures.Tokens);

        text.Family("mpm_provider_outbox", "gauge", "Outcome reports to providers, by provider and status (pending is the backlog; failed gave up).");
        foreach (var row in outbox)
        {
            text.Sample("mpm_provider_outbox", row.Count, ("provider", row.Label), ("status", row.Status));
        }

        text.Gauge("mpm_provider_outbox_backlog", "Outcome reports waiting to be delivered to providers.", outbox.Where(o => o.Status == "pending").Sum(o => o.Count));
        text.Gauge("mpm_provider_outbox_oldest_pending_seconds", "Age of the oldest undelivered outcome report (0 when none).", figures.OutboxOldest);

        text.Family("mpm_sms_messages", "gauge", "SMS messages by direction and status (queued outgoing ones are the backlog; failed ones gave up).");
        foreach (var row in sms)
        {
            text.Sample("mpm_sms_messages", row.Count, ("direction", row.Label), ("status", row.Status));
        }

        text.Gauge("mpm_sms_oldest_queued_seconds", "Age of the oldest queued outgoing SMS (0 when none).", figures.SmsOldest);
    }

    private sealed class ProviderStatusRow
    {
        [Column("provider")] public string Provider { get; set; } = "";
        [Column("status")] public string Status { get; set; } = "";
        [Column("count")] public long Count { get; set; }
        [Column("amount")] public decimal Amount { get; set; }
    }

    private sealed class StatusRow
    {
        [Column("label")] public string Label { get; set; } = "";
        [Column("status")] public string Status { get; set; } = "";
        [Column("count")] public long Count { get; set; }
    }

    private sealed class FiguresRow
    {
        [Column("lag")] public decimal Lag { get; set; }
        [Column("token_retrying")] public long TokenRetrying { get; set; }
        [Column("refusals")] public long Refusals { get; set; }
        [Column("outbox_oldest")] public decimal OutboxOldest { get; set; }
        [Column("sms_oldest")] public decimal SmsOldest { get; set; }
        [Column("tokens")] public long Tokens { get; set; }
    }
}

/// <summary>The Prometheus text exposition format, written by hand: families with HELP and TYPE, then their samples.</summary>
public sealed class MetricsText
{
    private readonly StringBuilder _text = new();

    public void Family(string name, string type, string help) => _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
        .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public void Sample(string name, decimal value, params (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
        }

        _text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public void Gauge(string name, string help, decimal value)
    {
        Family(name, "gauge", help);
        Sample(name, value);
    }

    public void Counter(string name, string help, decimal value)
    {
        Family(name, "counter", help);
        Sample(name, value);
    }

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    public override string ToString() => _text.ToString();
}

/// <summary>Who may read /metrics: an API key, the configured bearer token, or an allowed address (explicitly configured).</summary>
public sealed class MetricsAccess(IConfiguration configuration, IServiceScopeFactory scopes)
{
    public async Task<bool> AllowsAsync(HttpContext context)
    {
        if (configuration["Metrics:BearerToken"] is { Length: > 0 } token
            && context.Request.Headers.Authorization.ToString() is var header
            && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token)))
        {
            return true;
        }

        if (context.Request.Headers[ApiKeyAuthenticationHandler.Header].ToString() is { Length: > 0 } key)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().FindValidAsync(key, context.RequestAborted) is not null)
            {
                return true;
            }
        }

        return context.Connection.RemoteIpAddress is { } address && AnonymousFrom().Any(network => network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
    }

    private IEnumerable<IPNetwork> AnonymousFrom() =>
        (configuration["Metrics:AllowAnonymousFrom"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
            IPNetwork.TryParse(entry, out var network) ? network
            : IPAddress.TryParse(entry, out var single) ? new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : throw new InvalidOperationException($"Metrics:AllowAnonymousFrom: '{entry}' is neither an address nor a CIDR network"));
}
