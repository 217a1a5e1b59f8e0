using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Customers;

namespace MPM.Web.Features.Transactions;

/// <summary>The operator's currency and time zone (operator_settings): figures are in the one, days in the other.</summary>
public sealed record OperatorLocale(string Currency, TimeZoneInfo TimeZone)
{
    /// <summary>An instant as the operator's wall-clock time.</summary>
    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone);
}

/// <summary>What the list, its CSV export and the REST API filter by; null means "any". Received in [From, To).</summary>
/// <param name="MeterSerial">Part of the meter serial, any case.</param>
/// <param name="CustomerName">Part of "name surname", any case.</param>
public sealed record TransactionFilter(
    string? MeterSerial = null,
    string? CustomerName = null,
    string? Provider = null,
    string? ProviderReference = null,
    string? Status = null,
    decimal? AmountFrom = null,
    decimal? AmountTo = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? MiniGridId = null);

/// <summary>Transactions received in a period: all of them, the confirmed and the cancelled ones, and the revenue (confirmed only).</summary>
public sealed record PeriodTotals(int Count, int Confirmed, int Cancelled, decimal Revenue);

public sealed record ComparisonFigures(PeriodPair Periods, PeriodTotals Current, PeriodTotals Previous)
{
    public Delta Delta(Func<PeriodTotals, decimal> figure) => PeriodComparison.Compare(figure(Current), figure(Previous));
}

public sealed record TransactionRow(
    long Id,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? CompletedAt,
    string Status,
    string? Reason,
    decimal Amount,
    string Currency,
    string Provider,
    string ProviderReference,
    long MeterId,
    string MeterSerial,
    long CustomerId,
    string CustomerName,
    string MiniGrid,
    string Village,
    decimal? EnergyKWh);

/// <param name="Net">What the payment paid per allocation type, reversals taken off: energy, access rate, asset rates.</param>
public sealed record TransactionDetail(
    TransactionRecord Transaction,
    CustomerRecord Customer,
    string Village,
    string MiniGrid,
    string Cluster,
    TokenRecord? Token,
    IReadOnlyList<AllocationRecord> Allocations,
    IReadOnlyList<(string Type, decimal Amount)> Net,
    IReadOnlyList<TransactionEventRecord> Events,
    IReadOnlyList<SmsMessageRecord> Sms,
    ProviderOutboxRecord? Outbox);

/// <summary>The REST API's view of one transaction (GET /api/v1/transactions/{id}, and the answer to a posted payment).</summary>
public sealed record TransactionDto(
    long Id,
    string Status,
    decimal Amount,
    string MeterSerial,
    string Provider,
    string ProviderReference,
    string? Reason,
    TokenDto? Token,
    IReadOnlyList<AllocationDto> Allocations,
    IReadOnlyList<SmsDto> Sms);

public sealed record TokenDto(string Value, decimal? EnergyKWh);

/// <param name="Amount">Negative for a reversal.</param>
public sealed record AllocationDto(string Type, decimal Amount);

public sealed record SmsDto(string To, string Body, string Status);

/// <summary>
/// The read side of the payment pipeline, for the Transactions pages, their CSV export and the REST API: period
/// totals and comparisons, the filtered list newest first, and one transaction with everything that happened to it.
/// </summary>
public sealed class TransactionQueries(MpmDb db, TimeProvider clock)
{
    public const string CurrencyKey = "operator.currency";
    public const string TimeZoneKey = "operator.timezone";
    public const string DefaultTimeZone = "Africa/Dar_es_Salaam";
    public const int MaxPageSize = 100;

    public static readonly IReadOnlyList<string> Statuses = [TransactionStatus.Received, TransactionStatus.Processing, TransactionStatus.Confirmed, TransactionStatus.Cancelled];

    /// <summary>The allocation types in the order the breakdown shows them.</summary>
    public static readonly IReadOnlyList<string> AllocationTypes = ["energy", "access-rate", "asset-rate"];

    public async Task<OperatorLocale> LocaleAsync(CancellationToken cancellationToken = default)
    {
        var settings = await db.OperatorSettings.Where(s => s.Key == CurrencyKey || s.Key == TimeZoneKey).ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(settings.GetValueOrDefault(TimeZoneKey) ?? DefaultTimeZone, out var found)
            ? found
            : TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);
        return new OperatorLocale(settings.GetValueOrDefault(CurrencyKey) ?? "", zone);
    }

    /// <summary>Totals of the transactions received in [start, end), of one mini-grid or of all.</summary>
    public async Task<PeriodTotals> TotalsAsync(DateTimeOffset start, DateTimeOffset end, long? miniGridId = null, CancellationToken cancellationToken = default)
    {
        var rows = await db.QueryToListAsync<PeriodTotals>(
            """
            SELECT count(*)::int AS "Count",
                   (count(*) FILTER (WHERE status = 'confirmed'))::int AS "Confirmed",
                   (count(*) FILTER (WHERE status = 'cancelled'))::int AS "Cancelled",
                   coalesce(sum(amount) FILTER (WHERE status = 'confirmed'), 0) AS "Revenue"
            FROM mpm.transactions
            WHERE received_at >= @start AND received_at < @end AND (@miniGrid::bigint IS NULL OR mini_grid_id = @miniGrid)
            """,
            cancellationToken,
            new DataParameter("start", start.ToUniversalTime(), DataType.DateTimeOffset),
            new DataParameter("end", end.ToUniversalTime(), DataType.DateTimeOffset),
            new DataParameter("miniGrid", miniGridId, DataType.Int64));
        return rows.Single();
    }

    /// <summary>The four comparisons of the Transactions page as of now, of one mini-grid or of all.</summary>
    public async Task<IReadOnlyList<ComparisonFigures>> ComparisonsAsync(TimeZoneInfo zone, long? miniGridId = null, CancellationToken cancellationToken = default)
    {
        var totals = new Dictionary<Period, PeriodTotals>();
        var figures = new List<ComparisonFigures>();
        foreach (var pair in PeriodComparison.For(clock.GetUtcNow(), zone))
        {
            foreach (var period in new[] { pair.Current, pair.Previous }.Where(p => !totals.ContainsKey(p)))
            {
                totals[period] = await TotalsAsync(period.Start, period.End, miniGridId, cancellationToken);
            }

            figures.Add(new ComparisonFigures(pair, totals[pair.Current], totals[pair.Previous]));
        }

        return figures;
    }

    public async Task<Paged<TransactionRow>> ListAsync(TransactionFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Clamp(page, 1, int.MaxValue / pageSize);
        var rows = Rows(filter);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<TransactionRow>(items, page, pageSize, total);
    }

    /// <summary>Every transaction the filter matches, newest first, streamed.</summary>
    public IAsyncEnumerable<TransactionRow> ExportAsync(TransactionFilter filter) => Rows(filter).AsAsyncEnumerable();

    public async Task<TransactionDetail?> GetDetailAsync(long id, CancellationToken cancellationToken = default)
    {
        var head = await (
                from t in db.Transactions
                join c in db.Customers on t.CustomerId equals c.Id
                join v in db.Villages on t.VillageId equals v.Id
                join g in db.MiniGrids on t.MiniGridId equals g.Id
                join k in db.Clusters on t.ClusterId equals k.Id
                where t.Id == id
                select new { t, c, Village = v.Name, MiniGrid = g.Name, Cluster = k.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return null;
        }

        var allocations = await db.Allocations.Where(a => a.TransactionId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var net = AllocationTypes.Select(type => (type, allocations.Where(a => a.Type == type).Sum(a => a.Amount))).ToList();
        return new TransactionDetail(
            head.t,
            head.c,
            head.Village,
            head.MiniGrid,
            head.Cluster,
            await db.Tokens.FirstOrDefaultAsync(k => k.TransactionId == id, cancellationToken),
            allocations,
            net,
            await db.TransactionEvents.Where(e => e.TransactionId == id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken),
            await OutgoingSms(db, id).ToListAsync(cancellationToken),
            await db.ProviderOutbox.FirstOrDefaultAsync(o => o.TransactionId == id, cancellationToken));
    }

    /// <summary>The REST API's view of a transaction, or null when there is none with this id.</summary>
    public static async Task<TransactionDto?> GetDtoAsync(MpmDb db, long id, CancellationToken cancellationToken = default)
    {
        var transaction = await db.Transactions.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        var token = await db.Tokens.FirstOrDefaultAsync(k => k.TransactionId == id, cancellationToken);
        var allocations = await db.Allocations.Where(a => a.TransactionId == id).OrderBy(a => a.Id).Select(a => new AllocationDto(a.Type, a.Amount)).ToListAsync(cancellationToken);
        var sms = await OutgoingSms(db, id).Select(s => new SmsDto(s.Phone, s.Body, s.Status)).ToListAsync(cancellationToken);
        return new TransactionDto(
            transaction.Id,
            transaction.Status,
            transaction.Amount,
            transaction.MeterSerial,
            transaction.Provider,
            transaction.ProviderReference,
            transaction.Reason,
            token is null ? null : new TokenDto(token.Value, transaction.EnergyKWh),
            allocations,
            sms);
    }

    private static IQueryable<SmsMessageRecord> OutgoingSms(MpmDb db, long transactionId) =>
        db.SmsMessages.Where(s => s.TransactionId == transactionId && s.Direction == "out").OrderBy(s => s.CreatedAt).ThenBy(s => s.Id);

    private IQueryable<TransactionRow> Rows(TransactionFilter filter)
    {
        var query =
            from t in db.Transactions
            join c in db.Customers on t.CustomerId equals c.Id
            join g in db.MiniGrids on t.MiniGridId equals g.Id
            join v in db.Villages on t.VillageId equals v.Id
            select new { t, c, g, v };
        // Contains becomes a parameterised LIKE with its wildcards escaped.
        if (Term(filter.MeterSerial) is { } serial)
        {
            query = query.Where(x => x.t.MeterSerial.ToLower().Contains(serial));
        }

        if (Term(filter.CustomerName) is { } name)
        {
            query = query.Where(x => (x.c.Name + " " + x.c.Surname).ToLower().Contains(name));
        }

        if (!string.IsNullOrWhiteSpace(filter.Provider))
        {
            var provider = filter.Provider.Trim();
            query = query.Where(x => x.t.Provider == provider);
        }

        if (!string.IsNullOrWhiteSpace(filter.ProviderReference))
        {
            var reference = filter.ProviderReference.Trim();
            query = query.Where(x => x.t.ProviderReference == reference);
        }

        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            var status = filter.Status.Trim();
            query = query.Where(x => x.t.Status == status);
        }

        if (filter.AmountFrom is { } amountFrom)
        {
            query = query.Where(x => x.t.Amount >= amountFrom);
        }

        if (filter.AmountTo is { } amountTo)
        {
            query = query.Where(x => x.t.Amount <= amountTo);
        }

        // Npgsql writes timestamptz parameters from UTC values only.
        if (filter.From?.ToUniversalTime() is { } from)
        {
            query = query.Where(x => x.t.ReceivedAt >= from);
        }

        if (filter.To?.ToUniversalTime() is { } to)
        {
            query = query.Where(x => x.t.ReceivedAt < to);
        }

        if (filter.MiniGridId is { } miniGridId)
        {
            query = query.Where(x => x.t.MiniGridId == miniGridId);
        }

        return query.OrderByDescending(x => x.t.ReceivedAt).ThenByDescending(x => x.t.Id)
            .Select(x => new TransactionRow(
                x.t.Id, x.t.ReceivedAt, x.t.CompletedAt, x.t.Status, x.t.Reason, x.t.Amount, x.t.Currency, x.t.Provider, x.t.ProviderReference,
                x.t.MeterId, x.t.MeterSerial, x.c.Id, x.c.Name + " " + x.c.Surname, x.g.Name, x.v.Name, x.t.EnergyKWh));
    }

    private static string? Term(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}
