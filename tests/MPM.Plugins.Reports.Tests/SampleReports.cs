using MPM.Sdk.Reports;

namespace MPM.Plugins.Reports.Tests;

/// <summary>Reports as the core hands them to a pack, with known totals.</summary>
internal static class SampleReports
{
    public static readonly ReportColumn[] LedgerColumns =
    [
        new("Date", ReportColumnType.Date),
        new("Customer", ReportColumnType.Text),
        new("Meter", ReportColumnType.Text),
        new("Village", ReportColumnType.Text),
        new("Amount", ReportColumnType.Money),
    ];

    /// <summary>A monthly report: a summary with a chart, a two-row mini-grid table (total 4,550.00) and a ledger of <paramref name="ledgerRows"/> payments of 100.00 each.</summary>
    public static ReportDocument Monthly(int ledgerRows, string? longCustomer = null)
    {
        var ledger = Enumerable.Range(0, ledgerRows)
            .Select(i => (IReadOnlyList<object?>)[new DateOnly(2026, 3, 1).AddDays(i % 31), i == 0 && longCustomer is not null ? longCustomer : $"Customer {i:0000}", $"SN-{i:00000}", "Kagera village", 100m])
            .ToList();
        return new ReportDocument(
            "monthly",
            "Monthly revenue report",
            "Kagera Power Ltd",
            "TZS",
            new DateOnly(2026, 3, 1),
            new DateOnly(2026, 3, 31),
            [
                new ReportSection("Summary", [], [new ReportChart("Revenue per week", ["2026-03-02", "2026-03-09", "2026-03-16"], [1000m, 2500m, 1050m])]),
                new ReportSection(
                    "Revenue per mini-grid",
                    [
                        new ReportTable(
                            "Mini-grids",
                            [new("Mini-grid", ReportColumnType.Text), new("Payments", ReportColumnType.Number), new("Revenue", ReportColumnType.Money)],
                            [["MG-1", 3, 3750m], ["MG-4", 1, 800m]],
                            ["Total", 4, 4550m]),
                    ],
                    []),
                new ReportSection(
                    "Ledger",
                    [new ReportTable("Confirmed payments", LedgerColumns, ledger, ["Total", null, null, null, ledgerRows * 100m])],
                    []),
            ]);
    }

    public static ReportDocument EmptyPaymentRequests() => new(
        "payment-requests",
        "Payment requests",
        "Kagera Power Ltd",
        "TZS",
        new DateOnly(2026, 3, 1),
        new DateOnly(2026, 3, 31),
        [
            new ReportSection(
                "Payment requests",
                [new ReportTable("Owed to maintenance contractors", [new("Contractor", ReportColumnType.Text), new("Amount", ReportColumnType.Money)], [], ["Total", 0m])],
                [])
            { Note = "No maintenance requests in this period." },
        ]);
}
