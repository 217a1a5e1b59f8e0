using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Targets;
using MPM.Web.Features.Transactions;

namespace MPM.Web.Features.Dashboards;

/// <summary>The operator's calendar days From..To, both included.</summary>
public sealed record DashboardPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 3660;

    /// <summary>Days of trend charts up to this span, months beyond it.</summary>
    public const int DailyTrendUpToDays = 62;

    public bool Daily => To.DayNumber - From.DayNumber < DailyTrendUpToDays;

    public decimal Months => TargetRules.MonthsIn(From, To);

    /// <summary>The default period: the current month and the five before it, up to today.</summary>
    public static DashboardPeriod Default(DateOnly today) => new(new DateOnly(today.Year, today.Month, 1).AddMonths(-5), today);

    /// <summary>The period of the from/to parameters (yyyy-MM-dd; a missing one takes the default's), or the problem.</summary>
    public static (DashboardPeriod? Period, string? Problem) Parse(string? from, string? to, DateOnly today)
    {
        var fallback = Default(today);
        var first = fallback.From;
        var last = fallback.To;
        if (!string.IsNullOrWhiteSpace(from) && !DateOnly.TryParseExact(from.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
        {
            return (null, "from must be a date like 2026-01-31");
        }

        if (!string.IsNullOrWhiteSpace(to) && !DateOnly.TryParseExact(to.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out last))
        {
            return (null, "to must be a date like 2026-01-31");
        }

        if (last < first)
        {
            return (null, "to must not be before from");
        }

        return last.DayNumber - first.DayNumber >= MaxDays
            ? (null, $"the period must not be longer than {MaxDays} days")
            : (new DashboardPeriod(first, last), null);
    }
}

/// <summary>Confirmed transactions of a period: their count, revenue, kWh sold and how the money was split.</summary>
public sealed record Figures(int Payments, decimal Revenue, decimal EnergyKWh, decimal EnergyAmount, decimal AccessRateAmount, decimal AssetRateAmount)
{
    public static Figures Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public static Figures Sum(IEnumerable<Figures> parts) => parts.Aggregate(Zero, (a, b) => new Figures(
        a.Payments + b.Payments, a.Revenue + b.Revenue, a.EnergyKWh + b.EnergyKWh, a.EnergyAmount + b.EnergyAmount, a.AccessRateAmount + b.AccessRateAmount, a.AssetRateAmount + b.AssetRateAmount));
}

/// <param name="Customers">Customers with a meter there now.</param>
/// <param name="NewConnections">Meters registered in the period.</param>
public sealed record Registrations(int Customers, int Meters, int NewConnections)
{
    public static Registrations Zero { get; } = new(0, 0, 0);

    public static Registrations Sum(IEnumerable<Registrations> parts) =>
        parts.Aggregate(Zero, (a, b) => new Registrations(a.Customers + b.Customers, a.Meters + b.Meters, a.NewConnections + b.NewConnections));
}

public sealed record Boxes(decimal Revenue, int Payments, decimal EnergyKWh, int Customers, int Meters, int NewConnections, int Clusters, int MiniGrids);

public sealed record MiniGridOverview(long Id, string Name, long ClusterId, decimal Latitude, decimal Longitude, Registrations Registrations, Figures Figures);

public sealed record ClusterOverview(long Id, string Name, decimal? Latitude, decimal? Longitude, string? AreaGeoJson, Registrations Registrations, Figures Figures, IReadOnlyList<MiniGridOverview> MiniGrids);

public sealed record ClustersDashboard(DashboardPeriod Period, string Currency, Boxes Boxes, IReadOnlyList<ClusterOverview> Clusters);

/// <summary>A goal set for a period next to what happened. Revenue and energy targets are per month: Target is the goal times the period's months.</summary>
public sealed record TargetVsActual(decimal? Target, decimal Actual)
{
    /// <summary>Actual as a percentage of the target; null without a target (or a target of 0).</summary>
    public decimal? Percent => Target is { } target && target != 0 ? decimal.Round(Actual / target * 100m, 1) : null;
}

/// <param name="Goals">The target's goals as set (revenue and energy per month).</param>
public sealed record TargetAnalysis(long? TargetId, DateOnly? ValidUntil, TargetGoals Goals, TargetVsActual NewConnections, TargetVsActual Revenue, TargetVsActual EnergyKWh);

public sealed record MiniGridAnalysis(MiniGridOverview MiniGrid, TargetAnalysis Analysis);

/// <param name="Source">"cluster" (its own target), "mini-grids" (their sum) or "none".</param>
public sealed record RolledUpTargets(string Source, TargetGoals Goals, TargetAnalysis Analysis);

/// <summary>A chart: labels along the x axis and one series per customer group.</summary>
public sealed record Trend(IReadOnlyList<string> Labels, IReadOnlyList<TrendSeries> Series);

public sealed record TrendSeries(long? ConnectionTypeId, string Name, IReadOnlyList<decimal> Values);

public sealed record ClusterDashboard(DashboardPeriod Period, string Currency, ClusterOverview Cluster, Boxes Boxes, RolledUpTargets Targets, IReadOnlyList<MiniGridAnalysis> MiniGrids, Trend RevenueTrend);

/// <param name="AverageRevenuePerCustomer">Revenue of the period divided by the group's customers; null without customers.</param>
public sealed record CustomerTypeFigures(long? ConnectionTypeId, string Name, Registrations Registrations, Figures Figures, decimal? AverageRevenuePerCustomer, TargetVsActual Revenue, decimal? TargetAverageRevenuePerCustomer);

/// <param name="Available">False when there is no ticket data (no ticket category in this installation yet).</param>
public sealed record TicketStatus(bool Available, IReadOnlyList<TicketCategoryStatus> Categories);

public sealed record TicketCategoryStatus(string Category, int Opened, int Closed);

public sealed record MiniGridDashboard(
    DashboardPeriod Period,
    string Currency,
    MiniGridOverview MiniGrid,
    string ClusterName,
    Boxes Boxes,
    decimal? AverageRevenuePerCustomer,
    TargetAnalysis Target,
    IReadOnlyList<CustomerTypeFigures> CustomerTypes,
    Trend Payments,
    TicketStatus Tickets);

/// <summary>
/// The three dashboards, read from dashboard_daily (confirmed transactions per operator day, mini-grid and customer
/// group, kept current by triggers as payments are confirmed), registrations_daily (meters and customers per day, kept
/// current by triggers on meters) and the places tables: no query scans the transactions or the meters, so they answer in the same time at a hundred or at millions of payments. Revenue is what
/// <see cref="TransactionQueries.TotalsAsync"/> calls revenue: confirmed transactions by the day they were received.
/// </summary>
public sealed class DashboardQueries(MpmDb db, TransactionQueries transactions, TargetCatalog targets)
{
    public Task<OperatorLocale> LocaleAsync(CancellationToken cancellationToken) => transactions.LocaleAsync(cancellationToken);

    public async Task<ClustersDashboard> ClustersAsync(DashboardPeriod period, CancellationToken cancellationToken = default)
    {
        var locale = await LocaleAsync(cancellationToken);
        var clusters = await db.Clusters.OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var miniGrids = await MiniGridsAsync(null, period, cancellationToken);
        var overviews = clusters.Select(c => Overview(c, miniGrids.Where(g => g.ClusterId == c.Id).ToList())).ToList();
        return new ClustersDashboard(period, locale.Currency, BoxesOf(overviews.SelectMany(c => c.MiniGrids).ToList(), clusters.Count), overviews);
    }

    public async Task<ClusterDashboard?> ClusterAsync(long id, DashboardPeriod period, CancellationToken cancellationToken = default)
    {
        var cluster = await db.Clusters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cluster is null)
        {
            return null;
        }

        var locale = await LocaleAsync(cancellationToken);
        var miniGrids = await MiniGridsAsync(id, period, cancellationToken);
        var overview = Overview(cluster, miniGrids);
        var owned = await targets.ForOwnersAsync([id], miniGrids.Select(g => g.Id).ToList(), cancellationToken);
        var miniGridTargets = miniGrids.ToDictionary(g => g.Id, g => TargetRules.InForce(owned.Where(t => t.OwnerType == TargetOwnerType.MiniGrid && t.OwnerId == g.Id), period.From, period.To));
        var rolled = TargetRules.RollUp(TargetRules.InForce(owned.Where(t => t.OwnerType == TargetOwnerType.Cluster), period.From, period.To), miniGridTargets.Values);
        var source = rolled.Source switch { RollUpSource.Cluster => "cluster", RollUpSource.MiniGrids => "mini-grids", _ => "none" };
        var rolledTarget = rolled.Source == RollUpSource.Cluster ? rolled.Parts[0] : null;
        var trend = await TrendAsync(period, clusterId: id, miniGridId: null, t => t.Revenue, cancellationToken);
        return new ClusterDashboard(
            period,
            locale.Currency,
            overview,
            BoxesOf(miniGrids, 1),
            new RolledUpTargets(source, rolled.Total, Analyse(rolledTarget?.Id, rolledTarget?.ValidUntil, rolled.Total, overview.Registrations, overview.Figures, period)),
            miniGrids.Select(g => new MiniGridAnalysis(g, Analyse(miniGridTargets[g.Id], g.Registrations, g.Figures, period))).ToList(),
            trend);
    }

    public async Task<MiniGridDashboard?> MiniGridAsync(long id, DashboardPeriod period, CancellationToken cancellationToken = default)
    {
        var miniGrid = (await MiniGridsAsync(null, period, cancellationToken, id)).FirstOrDefault();
        if (miniGrid is null)
        {
            return null;
        }

        var locale = await LocaleAsync(cancellationToken);
        var clusterName = await db.Clusters.Where(c => c.Id == miniGrid.ClusterId).Select(c => c.Name).FirstAsync(cancellationToken);
        var owned = await targets.ForOwnersAsync([], [id], cancellationToken);
        var target = TargetRules.InForce(owned, period.From, period.To);
        var groups = await db.ConnectionTypes.OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var figures = await FiguresByAsync(period, "connection_type_id", "mini_grid_id = @place", id, cancellationToken);
        var registrations = await RegistrationsByAsync(period, byGroup: true, "r.mini_grid_id = @place", id, cancellationToken);
        var types = new List<CustomerTypeFigures>();
        foreach (var (groupId, name) in groups.Select(g => ((long?)g.Id, g.Name)).Append((null, "No customer group")))
        {
            var key = groupId ?? 0;
            var registered = registrations.GetValueOrDefault(key, Registrations.Zero);
            var actual = figures.GetValueOrDefault(key, Figures.Zero);
            var goals = target?.For(groupId) ?? TargetGoals.None;
            if (groupId is null && registered.Meters == 0 && actual.Payments == 0)
            {
                continue;
            }

            types.Add(new CustomerTypeFigures(
                groupId,
                name,
                registered,
                actual,
                Average(actual.Revenue, registered.Customers),
                new TargetVsActual(TargetRules.ForPeriod(goals.Revenue, period.From, period.To), actual.Revenue),
                goals.AverageRevenuePerCustomer));
        }

        return new MiniGridDashboard(
            period,
            locale.Currency,
            miniGrid,
            clusterName,
            BoxesOf([miniGrid], 1),
            Average(miniGrid.Figures.Revenue, miniGrid.Registrations.Customers),
            Analyse(target, miniGrid.Registrations, miniGrid.Figures, period),
            types,
            await TrendAsync(period, clusterId: null, miniGridId: id, t => t.Revenue, cancellationToken),
            await TicketsAsync(id, period, cancellationToken));
    }

    /// <summary>
    /// The mini-grid's tickets per category: opened = created in the period, closed = closed in the period (operator days).
    /// Every category is listed; there is no data while no category exists.
    /// </summary>
    public async Task<TicketStatus> TicketsAsync(long miniGridId, DashboardPeriod period, CancellationToken cancellationToken = default)
    {
        var zone = (await LocaleAsync(cancellationToken)).TimeZone;
        var rows = await db.QueryToListAsync<TicketCountRow>(
            """
            SELECT c.name AS category,
                   (SELECT count(*) FROM mpm.tickets t WHERE t.category_id = c.id AND t.mini_grid_id = @miniGrid AND t.created_at >= @start AND t.created_at < @end)::int AS opened,
                   (SELECT count(*) FROM mpm.tickets t WHERE t.category_id = c.id AND t.mini_grid_id = @miniGrid AND t.closed_at >= @start AND t.closed_at < @end)::int AS closed
            FROM mpm.ticket_categories c
            ORDER BY c.name
            """,
            cancellationToken,
            new DataParameter("miniGrid", miniGridId, DataType.Int64),
            new DataParameter("start", PeriodComparison.StartOfDay(period.From, zone), DataType.DateTimeOffset),
            new DataParameter("end", PeriodComparison.StartOfDay(period.To.AddDays(1), zone), DataType.DateTimeOffset));
        return new TicketStatus(rows.Count > 0, rows.Select(r => new TicketCategoryStatus(r.Category, r.Opened, r.Closed)).ToList());
    }

    private sealed class TicketCountRow
    {
        [LinqToDB.Mapping.Column("category")] public string Category { get; set; } = "";
        [LinqToDB.Mapping.Column("opened")] public int Opened { get; set; }
        [LinqToDB.Mapping.Column("closed")] public int Closed { get; set; }
    }

    private static decimal? Average(decimal revenue, int customers) => customers == 0 ? null : decimal.Round(revenue / customers, 2);

    private static ClusterOverview Overview(ClusterRecord cluster, IReadOnlyList<MiniGridOverview> miniGrids) => new(
        cluster.Id, cluster.Name, cluster.Latitude, cluster.Longitude, cluster.AreaGeoJson,
        Registrations.Sum(miniGrids.Select(g => g.Registrations)), Figures.Sum(miniGrids.Select(g => g.Figures)), miniGrids);

    private static Boxes BoxesOf(IReadOnlyList<MiniGridOverview> miniGrids, int clusters)
    {
        var figures = Figures.Sum(miniGrids.Select(g => g.Figures));
        var registrations = Registrations.Sum(miniGrids.Select(g => g.Registrations));
        return new Boxes(figures.Revenue, figures.Payments, figures.EnergyKWh, registrations.Customers, registrations.Meters, registrations.NewConnections, clusters, miniGrids.Count);
    }

    private static TargetAnalysis Analyse(Target? target, Registrations registrations, Figures figures, DashboardPeriod period) =>
        Analyse(target?.Id, target?.ValidUntil, target?.Total ?? TargetGoals.None, registrations, figures, period);

    private static TargetAnalysis Analyse(long? id, DateOnly? validUntil, TargetGoals goals, Registrations registrations, Figures figures, DashboardPeriod period) => new(
        id,
        validUntil,
        goals,
        new TargetVsActual(goals.NewConnections, registrations.NewConnections),
        new TargetVsActual(TargetRules.ForPeriod(goals.Revenue, period.From, period.To), figures.Revenue),
        new TargetVsActual(TargetRules.ForPeriod(goals.EnergyPerMonth, period.From, period.To), figures.EnergyKWh));

    /// <summary>The mini-grids of one cluster (or all, or one), by name, with their figures for the period.</summary>
    private async Task<List<MiniGridOverview>> MiniGridsAsync(long? clusterId, DashboardPeriod period, CancellationToken cancellationToken, long? miniGridId = null)
    {
        var miniGrids = await db.MiniGrids
            .Where(g => (clusterId == null || g.ClusterId == clusterId) && (miniGridId == null || g.Id == miniGridId))
            .OrderBy(g => g.Name).ToListAsync(cancellationToken);
        if (miniGrids.Count == 0)
        {
            return [];
        }

        var (figureFilter, registrationFilter, place) = miniGridId is { } one ? ("mini_grid_id = @place", "r.mini_grid_id = @place", (long?)one)
            : clusterId is { } cluster ? ("cluster_id = @place", "g.cluster_id = @place", cluster)
            : ("true", "true", null);
        var figures = await FiguresByAsync(period, "mini_grid_id", figureFilter, place, cancellationToken);
        var registrations = await RegistrationsByAsync(period, byGroup: false, registrationFilter, place, cancellationToken);
        return miniGrids.Select(g => new MiniGridOverview(
                g.Id, g.Name, g.ClusterId, g.Latitude, g.Longitude, registrations.GetValueOrDefault(g.Id, Registrations.Zero), figures.GetValueOrDefault(g.Id, Figures.Zero)))
            .ToList();
    }

    private async Task<Dictionary<long, Figures>> FiguresByAsync(DashboardPeriod period, string key, string filter, long? place, CancellationToken cancellationToken)
    {
        var rows = await db.QueryToListAsync<FiguresRow>(
            $"""
            SELECT {key} AS key, sum(payments)::int AS payments, sum(revenue) AS revenue, sum(energy_kwh) AS energy_kwh,
                   sum(energy_amount) AS energy_amount, sum(access_rate_amount) AS access_rate_amount, sum(asset_rate_amount) AS asset_rate_amount
            FROM mpm.dashboard_daily
            WHERE day BETWEEN @from AND @to AND {filter}
            GROUP BY {key}
            """,
            cancellationToken,
            Parameters(period, place));
        return rows.ToDictionary(r => r.Key, r => new Figures(r.Payments, r.Revenue, r.EnergyKWh, r.EnergyAmount, r.AccessRateAmount, r.AssetRateAmount));
    }

    /// <summary>
    /// Meters (and their customers) registered by the end of the period, and the ones registered in it, per mini-grid
    /// or (byGroup) per customer group, from registrations_daily: days up to the period's last, not the meters table.
    /// </summary>
    private async Task<Dictionary<long, Registrations>> RegistrationsByAsync(DashboardPeriod period, bool byGroup, string filter, long? place, CancellationToken cancellationToken)
    {
        var (key, customers) = byGroup ? ("r.connection_type_id", "group_customers") : ("r.mini_grid_id", "grid_customers");
        var rows = await db.QueryToListAsync<RegistrationsRow>(
            $"""
            SELECT {key} AS key, sum(r.{customers})::int AS customers, sum(r.meters)::int AS meters,
                   coalesce(sum(r.meters) FILTER (WHERE r.day >= @from), 0)::int AS new_connections
            FROM mpm.registrations_daily r JOIN mpm.mini_grids g ON g.id = r.mini_grid_id
            WHERE r.day <= @to AND {filter}
            GROUP BY 1
            HAVING sum(r.meters) > 0
            """,
            cancellationToken,
            Parameters(period, place));
        return rows.ToDictionary(r => r.Key, r => new Registrations(r.Customers, r.Meters, r.NewConnections));
    }

    /// <summary>A figure per customer group over the period, per day for short periods and per month for longer ones.</summary>
    private async Task<Trend> TrendAsync(DashboardPeriod period, long? clusterId, long? miniGridId, Func<FiguresRow, decimal> figure, CancellationToken cancellationToken)
    {
        var bucket = period.Daily ? "day" : "date_trunc('month', day)::date";
        var rows = await db.QueryToListAsync<FiguresRow>(
            $"""
            SELECT {bucket} AS bucket, connection_type_id AS key, sum(payments)::int AS payments, sum(revenue) AS revenue, sum(energy_kwh) AS energy_kwh,
                   sum(energy_amount) AS energy_amount, sum(access_rate_amount) AS access_rate_amount, sum(asset_rate_amount) AS asset_rate_amount
            FROM mpm.dashboard_daily
            WHERE day BETWEEN @from AND @to AND (@cluster::bigint IS NULL OR cluster_id = @cluster) AND (@miniGrid::bigint IS NULL OR mini_grid_id = @miniGrid)
            GROUP BY 1, 2
            """,
            cancellationToken,
            [.. Parameters(period, null), new DataParameter("cluster", clusterId, DataType.Int64), new DataParameter("miniGrid", miniGridId, DataType.Int64)]);
        var buckets = new List<DateOnly>();
        for (var day = period.Daily ? period.From : new DateOnly(period.From.Year, period.From.Month, 1); day <= period.To; day = period.Daily ? day.AddDays(1) : day.AddMonths(1))
        {
            buckets.Add(day);
        }

        var names = await db.ConnectionTypes.ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var series = rows.Select(r => r.Key).Distinct().OrderBy(k => k == 0 ? "\uffff" : names.GetValueOrDefault(k, ""), StringComparer.Ordinal)
            .Select(key => new TrendSeries(
                key == 0 ? null : key,
                key == 0 ? "No customer group" : names.GetValueOrDefault(key, $"group {key}"),
                buckets.Select(b => rows.Where(r => r.Key == key && r.Bucket == b).Sum(figure)).ToList()))
            .ToList();
        var format = period.Daily ? "yyyy-MM-dd" : "yyyy-MM";
        return new Trend(buckets.Select(b => b.ToString(format, CultureInfo.InvariantCulture)).ToList(), series);
    }

    private static DataParameter[] Parameters(DashboardPeriod period, long? place) =>
    [
        new("from", period.From, DataType.Date),
        new("to", period.To, DataType.Date),
        new("place", place, DataType.Int64),
    ];

    private sealed class FiguresRow
    {
        [LinqToDB.Mapping.Column("bucket")] public DateOnly Bucket { get; set; }
        [LinqToDB.Mapping.Column("key")] public long Key { get; set; }
        [LinqToDB.Mapping.Column("payments")] public int Payments { get; set; }
        [LinqToDB.Mapping.Column("revenue")] public decimal Revenue { get; set; }
        [LinqToDB.Mapping.Column("energy_kwh")] public decimal EnergyKWh { get; set; }
        [LinqToDB.Mapping.Column("energy_amount")] public decimal EnergyAmount { get; set; }
        [LinqToDB.Mapping.Column("access_rate_amount")] public decimal AccessRateAmount { get; set; }
        [LinqToDB.Mapping.Column("asset_rate_amount")] public decimal AssetRateAmount { get; set; }
    }

    private sealed class RegistrationsRow
    {
        [LinqToDB.Mapping.Column("key")] public long Key { get; set; }
        [LinqToDB.Mapping.Column("customers")] public int Customers { get; set; }
        [LinqToDB.Mapping.Column("meters")] public int Meters { get; set; }
        [LinqToDB.Mapping.Column("new_connections")] public int NewConnections { get; set; }
    }
}
