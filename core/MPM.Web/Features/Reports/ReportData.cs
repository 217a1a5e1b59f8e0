using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Sdk.Reports;
using MPM.Web.Features.Dashboards;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Targets;
using MPM.Web.Features.Transactions;

namespace MPM.Web.Features.Reports;

/// <summary>
/// The data of a report, as the document a report pack renders. Every figure comes from the query layer of the
/// dashboards and the Transactions pages (<see cref="DashboardQueries"/>, <see cref="TransactionQueries"/>): revenue is
/// confirmed payments by the operator day they were received, so a report's totals are the dashboards' for the period.
/// </summary>
public sealed class ReportData(DashboardQueries dashboards, TransactionQueries transactions, TargetCatalog targets, OperatorProfile profile, MpmDb db)
{
    public const string NoMaintenanceNote = "No maintenance requests in this period.";

    public const string MaintenanceNote = "Maintenance jobs requested in the period (by the operator day the request was made), open or done, with the price agreed with the contractor.";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public async Task<ReportDocument> BuildAsync(string kind, ReportPeriod period, CancellationToken cancellationToken = default)
    {
        var operatorProfile = await profile.GetAsync(cancellationToken);
        var locale = await transactions.LocaleAsync(cancellationToken);
        var currency = locale.Currency.Length > 0 ? locale.Currency : operatorProfile.Currency;
        var sections = kind switch
        {
            ReportKinds.Weekly or ReportKinds.Monthly => await RevenueAsync(kind, period, locale.TimeZone, cancellationToken),
            ReportKinds.PaymentRequests => await PaymentRequestsAsync(period, locale.TimeZone, cancellationToken),
            _ => throw new ArgumentException($"unknown report kind '{kind}'", nameof(kind)),
        };
        return new ReportDocument(kind, ReportKinds.Title(kind), operatorProfile.Name, currency, period.Start, period.End, sections);
    }

    /// <summary>
    /// What is owed to maintenance contractors: the maintenance jobs (tickets with a contractor and a price) requested in
    /// the period — by creation date in operator time, the day the job was ordered at its price — oldest first.
    /// </summary>
    private async Task<List<ReportSection>> PaymentRequestsAsync(ReportPeriod period, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var start = PeriodComparison.StartOfDay(period.Start, zone);
        var end = PeriodComparison.StartOfDay(period.End.AddDays(1), zone);
        var jobs = await (
                from t in db.Tickets
                join c in db.Contractors on t.ContractorId equals c.Id
                join k in db.TicketCategories on t.CategoryId equals k.Id
                where t.Price != null && t.CreatedAt >= start && t.CreatedAt < end
                orderby t.CreatedAt, t.Id
                select new { Contractor = c.Name, t.CreatedAt, Category = k.Name, Price = t.Price!.Value })
            .ToListAsync(cancellationToken);
        return
        [
            new ReportSection(
                "Payment requests",
                [
                    new ReportTable(
                        "Owed to maintenance contractors",
                        [new("Contractor", ReportColumnType.Text), new("Date", ReportColumnType.Date), new("Category", ReportColumnType.Text), new("Amount", ReportColumnType.Money)],
                        jobs.Select(j => (IReadOnlyList<object?>)[j.Contractor, TimeZoneInfo.ConvertTime(j.CreatedAt, zone).Date, j.Category, j.Price]).ToList(),
                        ["Total", null, null, jobs.Sum(j => j.Price)]),
                ],
                [])
            { Note = jobs.Count == 0 ? NoMaintenanceNote : MaintenanceNote },
        ];
    }

    private async Task<List<ReportSection>> RevenueAsync(string kind, ReportPeriod period, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var days = new DashboardPeriod(period.Start, period.End);
        var clusters = await dashboards.ClustersAsync(days, cancellationToken);
        var miniGrids = clusters.Clusters.SelectMany(c => c.MiniGrids.Select(g => (Cluster: c, MiniGrid: g))).ToList();
        var total = Figures.Sum(miniGrids.Select(g => g.MiniGrid.Figures));

        var sections = new List<ReportSection>
        {
            new(
                "Summary",
                [
                    new ReportTable(
                        "Confirmed payments",
                        [Number("Payments"), Money("Revenue"), Money("Energy"), Money("Access rate"), Money("Asset rates"), Number("Sold kWh")],
                        [[total.Payments, total.Revenue, total.EnergyAmount, total.AccessRateAmount, total.AssetRateAmount, total.EnergyKWh]],
                        null),
                ],
                [await ChartAsync(kind, days, clusters, cancellationToken)])
            {
                Note = "Revenue is the confirmed payments received in the period (operator time), as on the dashboards and the Transactions page.",
            },
            new(
                "Mini-grids",
                [
                    new ReportTable(
                        "Revenue per mini-grid",
                        [Text("Cluster"), Text("Mini-grid"), Number("Payments"), Money("Energy"), Money("Access rate"), Money("Asset rates"), Money("Revenue"), Number("Sold kWh")],
                        miniGrids.Select(g => Row(g.Cluster.Name, g.MiniGrid.Name, g.MiniGrid.Figures)).ToList(),
                        Row("Total", null, total)),
                ],
                []),
        };

        var ledger = await LedgerAsync(period, zone, cancellationToken);
        var villages = ledger.GroupBy(t => (t.MiniGrid, t.Village)).OrderBy(g => g.Key.MiniGrid, StringComparer.Ordinal).ThenBy(g => g.Key.Village, StringComparer.Ordinal).ToList();
        sections.Add(new ReportSection(
            "Villages",
            [
                new ReportTable(
                    "Revenue per village",
                    [Text("Mini-grid"), Text("Village"), Number("Payments"), Money("Revenue"), Number("Sold kWh")],
                    villages.Select(g => (IReadOnlyList<object?>)[g.Key.MiniGrid, g.Key.Village, g.Count(), g.Sum(t => t.Amount), g.Sum(t => t.EnergyKWh ?? 0m)]).ToList(),
                    ["Total", null, ledger.Count, ledger.Sum(t => t.Amount), ledger.Sum(t => t.EnergyKWh ?? 0m)]),
            ],
            [])
        {
            Note = "Villages with no confirmed payment in the period are left out.",
        });

        var groups = await CustomerGroupsAsync(miniGrids.Select(g => g.MiniGrid.Id), days, cancellationToken);
        sections.Add(new ReportSection(
            "Customer groups",
            [
                new ReportTable(
                    "Split by customer group",
                    [Text("Customer group"), Number("Payments"), Money("Energy"), Money("Access rate"), Money("Asset rates"), Money("Revenue"), Number("Sold kWh")],
                    groups.Select(g => Row(g.Name, g.Figures)).ToList(),
                    Row("Total", Figures.Sum(groups.Select(g => g.Figures)))),
            ],
            []));

        if (kind == ReportKinds.Monthly)
        {
            sections.Add(await TargetsAsync(clusters, groups, days, cancellationToken));
        }

        sections.Add(new ReportSection(
            "Ledger",
            [
                new ReportTable(
                    "Confirmed payments",
                    [new("Received", ReportColumnType.Date), Text("Customer"), Text("Meter"), Text("Mini-grid"), Text("Village"), Money("Amount"), Number("kWh")],
                    ledger.Select(t => (IReadOnlyList<object?>)[TimeZoneInfo.ConvertTime(t.ReceivedAt, zone).DateTime, t.CustomerName, t.MeterSerial, t.MiniGrid, t.Village, t.Amount, t.EnergyKWh])
                        .ToList(),
                    ["Total", $"{ledger.Count} payments", null, null, null, ledger.Sum(t => t.Amount), ledger.Sum(t => t.EnergyKWh ?? 0m)]),
            ],
            []));
        return sections;
    }

    /// <summary>Confirmed payments received in the period, oldest first: the Transactions page's list, filtered.</summary>
    private async Task<List<TransactionRow>> LedgerAsync(ReportPeriod period, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var filter = new TransactionFilter(
            Status: TransactionStatus.Confirmed,
            From: PeriodComparison.StartOfDay(period.Start, zone),
            To: PeriodComparison.StartOfDay(period.End.AddDays(1), zone));
        var rows = new List<TransactionRow>();
        await foreach (var row in transactions.ExportAsync(filter).WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }

        rows.Reverse();
        return rows;
    }

    /// <summary>Revenue per day (weekly report) or per week, Monday to Sunday within the month (monthly report), from the clusters' dashboard trends.</summary>
    private async Task<ReportChart> ChartAsync(string kind, DashboardPeriod days, ClustersDashboard clusters, CancellationToken cancellationToken)
    {
        var perDay = new SortedDictionary<DateOnly, decimal>();
        for (var day = days.From; day <= days.To; day = day.AddDays(1))
        {
            perDay[day] = 0m;
        }

        foreach (var cluster in clusters.Clusters)
        {
            var trend = (await dashboards.ClusterAsync(cluster.Id, days, cancellationToken))!.RevenueTrend;
            for (var i = 0; i < trend.Labels.Count; i++)
            {
                var day = DateOnly.ParseExact(trend.Labels[i], "yyyy-MM-dd", Invariant);
                perDay[day] += trend.Series.Sum(s => s.Values[i]);
            }
        }

        if (kind == ReportKinds.Weekly)
        {
            return new ReportChart("Revenue per day", perDay.Keys.Select(d => d.ToString("ddd d MMM", Invariant)).ToList(), perDay.Values.ToList());
        }

        var weeks = perDay.GroupBy(p => ReportPeriod.Of(ReportKinds.Weekly, p.Key).Start).ToList();
        return new ReportChart(
            "Revenue per week",
            weeks.Select(w => $"{w.First().Key.ToString("d MMM", Invariant)}–{w.Last().Key.ToString("d MMM", Invariant)}").ToList(),
            weeks.Select(w => w.Sum(p => p.Value)).ToList());
    }

    private sealed record GroupFigures(long? Id, string Name, Figures Figures);

    /// <summary>Each customer group's figures over all mini-grids, from the mini-grid dashboards' split.</summary>
    private async Task<List<GroupFigures>> CustomerGroupsAsync(IEnumerable<long> miniGridIds, DashboardPeriod days, CancellationToken cancellationToken)
    {
        var parts = new List<CustomerTypeFigures>();
        foreach (var id in miniGridIds)
        {
            parts.AddRange((await dashboards.MiniGridAsync(id, days, cancellationToken))!.CustomerTypes);
        }

        return parts.GroupBy(p => (p.ConnectionTypeId, p.Name))
            .OrderBy(g => g.Key.ConnectionTypeId is null).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new GroupFigures(g.Key.ConnectionTypeId, g.Key.Name, Figures.Sum(g.Select(p => p.Figures))))
            .ToList();
    }

    /// <summary>
    /// Monthly revenue targets against actual revenue per customer group: each cluster's target rolled up by the rule of
    /// <see cref="TargetRules.RollUp"/> (its own target, else its mini-grids' summed), then summed over the clusters.
    /// </summary>
    private async Task<ReportSection> TargetsAsync(ClustersDashboard clusters, List<GroupFigures> groups, DashboardPeriod days, CancellationToken cancellationToken)
    {
        var owned = await targets.ForOwnersAsync(clusters.Clusters.Select(c => c.Id).ToList(), clusters.Clusters.SelectMany(c => c.MiniGrids.Select(g => g.Id)).ToList(), cancellationToken);
        var rolled = clusters.Clusters.Select(c => TargetRules.RollUp(
                TargetRules.InForce(owned.Where(t => t.OwnerType == TargetOwnerType.Cluster && t.OwnerId == c.Id), days.From, days.To),
                c.MiniGrids.Select(g => TargetRules.InForce(owned.Where(t => t.OwnerType == TargetOwnerType.MiniGrid && t.OwnerId == g.Id), days.From, days.To))))
            .ToList();

        decimal? Sum(IEnumerable<decimal?> values) => values.OfType<decimal>().Select(v => (decimal?)v).Aggregate((decimal?)null, (a, b) => (a ?? 0) + b);
        IReadOnlyList<object?> Line(string name, decimal? monthly, decimal actual)
        {
            var target = TargetRules.ForPeriod(monthly, days.From, days.To);
            return [name, target, actual, new TargetVsActual(target, actual).Percent];
        }

        var rows = groups.Where(g => g.Id is not null)
            .Select(g => Line(g.Name, Sum(rolled.Select(r => r.Groups.GetValueOrDefault(g.Id!.Value)?.Revenue)), g.Figures.Revenue))
            .ToList();
        return new ReportSection(
            "Targets",
            [
                new ReportTable(
                    "Revenue targets vs actual per customer group",
                    [Text("Customer group"), Money("Target"), Money("Actual"), Number("% of target")],
                    rows,
                    Line("All customers", Sum(rolled.Select(r => r.Total.Revenue)), Figures.Sum(groups.Select(g => g.Figures)).Revenue)),
            ],
            [])
        {
            Note = "Targets are the clusters' own targets, or the sum of their mini-grids' where a cluster has none; a group without a target shows none.",
        };
    }

    private static IReadOnlyList<object?> Row(string first, string? second, Figures f) =>
        [first, second, f.Payments, f.EnergyAmount, f.AccessRateAmount, f.AssetRateAmount, f.Revenue, f.EnergyKWh];

    private static IReadOnlyList<object?> Row(string name, Figures f) =>
        [name, f.Payments, f.EnergyAmount, f.AccessRateAmount, f.AssetRateAmount, f.Revenue, f.EnergyKWh];

    private static ReportColumn Text(string header) => new(header, ReportColumnType.Text);

    private static ReportColumn Money(string header) => new(header, ReportColumnType.Money);

    private static ReportColumn Number(string header) => new(header, ReportColumnType.Number);
}
