using MPM.Plugins.ReportsPdf;
using MPM.Sdk.Reports;
using UglyToad.PdfPig;
using Xunit;

namespace MPM.Plugins.Reports.Tests;

/// <summary>The PDF pack's output read back with PdfPig.</summary>
public sealed class PdfReportPackTests
{
    private static async Task<PdfDocument> RenderAsync(ReportDocument report)
    {
        var output = new MemoryStream();
        await new PdfReportPack().RenderAsync(report, "pdf", output, CancellationToken.None);
        return PdfDocument.Open(output.ToArray());
    }

    private static string Words(UglyToad.PdfPig.Content.Page page) => string.Join(" ", page.GetWords().Select(w => w.Text));

    [Fact]
    public async Task The_totals_of_the_tables_read_back_from_the_pdf()
    {
        using var pdf = await RenderAsync(SampleReports.Monthly(12));
        var text = string.Join(" ", pdf.GetPages().Select(Words));

        Assert.Contains("Total 4 4,550.00", text, StringComparison.Ordinal);
        Assert.Contains("Total 1,200.00", text, StringComparison.Ordinal);
        Assert.Contains("Revenue per week", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ledger_of_fifty_pages_repeats_its_column_headers_and_the_operator_period_and_currency_on_every_page()
    {
        using var pdf = await RenderAsync(SampleReports.Monthly(2600));
        var pages = pdf.GetPages().ToList();

        Assert.InRange(pages.Count, 45, 80);
        foreach (var page in pages)
        {
            var words = Words(page);
            Assert.Contains("Kagera Power Ltd", words, StringComparison.Ordinal);
            Assert.Contains("Period 2026-03-01 to 2026-03-31", words, StringComparison.Ordinal);
            Assert.Contains("Currency TZS", words, StringComparison.Ordinal);
            Assert.Contains($"Page {page.Number} of {pages.Count}", words, StringComparison.Ordinal);
        }

        // Every page after the one the ledger starts on begins with the ledger's title and column headers.
        var start = pages.FindIndex(p => Words(p).Contains("Confirmed payments", StringComparison.Ordinal));
        Assert.True(start >= 0);
        foreach (var page in pages.Skip(start + 1))
        {
            Assert.Contains("Confirmed payments (continued) Date Customer Meter Village Amount", Words(page), StringComparison.Ordinal);
        }

        Assert.Contains("Total 260,000.00", Words(pages[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_too_long_for_its_column_is_wrapped_onto_more_lines_not_cut()
    {
        var name = string.Join(" ", Enumerable.Range(1, 14).Select(i => $"Name{i:00}")) + " Supercalifragilisticexpialidociousandthensomemoreletters";
        using var pdf = await RenderAsync(SampleReports.Monthly(3, name));
        var words = pdf.GetPages().SelectMany(p => p.GetWords()).ToList();

        // Every word of the name is there, on more than one line of the same column.
        foreach (var part in name.Split(' ').Take(14))
        {
            Assert.Contains(words, w => w.Text == part);
        }

        var first = words.First(w => w.Text == "Name01");
        var last = words.First(w => w.Text == "Name14");
        Assert.True(last.BoundingBox.Bottom < first.BoundingBox.Bottom - 5, "the name continues on a lower line");
        var joined = string.Concat(words.Where(w => w.Text.StartsWith("Supercal", StringComparison.Ordinal) || w.BoundingBox.Left > first.BoundingBox.Left - 1 && w.BoundingBox.Left < first.BoundingBox.Left + 1 && w.BoundingBox.Bottom < last.BoundingBox.Bottom).Select(w => w.Text));
        Assert.Contains("Supercalifragilisticexpialidociousandthensomemoreletters", joined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_amounts_in_a_wide_table_stay_whole()
    {
        var columns = new[] { new ReportColumn("Cluster", ReportColumnType.Text), new ReportColumn("Mini-grid", ReportColumnType.Text) }
            .Concat(Enumerable.Range(1, 6).Select(i => new ReportColumn($"Amount {i}", ReportColumnType.Money))).ToList();
        var row = new object?[] { "Kagera cluster of the lake shore", "Mini-grid with a long name" }.Concat(Enumerable.Repeat<object?>(1_098_000m, 6)).ToList();
        var report = SampleReports.EmptyPaymentRequests() with
        {
            Sections = [new ReportSection("Wide", [new ReportTable("Wide table", columns, [row], ["Total", null, 12_165_000.5m, 1m, 2m, 3m, 4m, 5m])], [])],
        };

        using var pdf = await RenderAsync(report);
        var words = pdf.GetPage(1).GetWords().Select(w => w.Text).ToList();

        Assert.Equal(6, words.Count(w => w == "1,098,000.00"));
        Assert.Contains("12,165,000.50", words);
    }

    [Fact]
    public async Task An_empty_payment_requests_report_says_there_are_no_maintenance_requests()
    {
        using var pdf = await RenderAsync(SampleReports.EmptyPaymentRequests());
        var text = Words(pdf.GetPage(1));

        Assert.Contains("No maintenance requests in this period.", text, StringComparison.Ordinal);
        Assert.Contains("Contractor Amount", text, StringComparison.Ordinal);
        Assert.Contains("Total 0.00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_format_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new PdfReportPack().RenderAsync(SampleReports.EmptyPaymentRequests(), "xlsx", new MemoryStream(), CancellationToken.None));
    }
}
