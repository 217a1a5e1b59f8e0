using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MPM.Plugins.ReportsXlsx;
using Xunit;

namespace MPM.Plugins.Reports.Tests;

/// <summary>The spreadsheet pack's output opened back with the Open XML SDK.</summary>
public sealed class XlsxReportPackTests
{
    private static async Task<SpreadsheetDocument> RenderAsync(MPM.Sdk.Reports.ReportDocument report)
    {
        var output = new MemoryStream();
        await new XlsxReportPack().RenderAsync(report, "xlsx", output, CancellationToken.None);
        output.Position = 0;
        return SpreadsheetDocument.Open(output, false);
    }

    private static List<Row> Rows(SpreadsheetDocument workbook, string sheet)
    {
        var entry = workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet);
        var part = (WorksheetPart)workbook.WorkbookPart.GetPartById(entry.Id!);
        return part.Worksheet.Descendants<Row>().ToList();
    }

    private static string Text(Cell cell) => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";

    [Fact]
    public async Task Each_section_is_a_sheet_and_amounts_are_number_cells()
    {
        using var workbook = await RenderAsync(SampleReports.Monthly(5));

        Assert.Equal(["Summary", "Revenue per mini-grid", "Ledger"], workbook.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToArray());
        var rows = Rows(workbook, "Revenue per mini-grid");
        var total = rows.Single(r => r.Elements<Cell>().FirstOrDefault() is { } c && Text(c) == "Total").Elements<Cell>().ToList();
        Assert.Equal(CellValues.Number, total[2].DataType!.Value);
        Assert.Equal(4550m, decimal.Parse(total[2].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4m, decimal.Parse(total[1].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
        var mg1 = rows.Single(r => r.Elements<Cell>().FirstOrDefault() is { } c && Text(c) == "MG-1").Elements<Cell>().ToList();
        Assert.Equal(CellValues.Number, mg1[2].DataType!.Value);
        Assert.Equal("3750", mg1[2].CellValue!.Text);
    }

    [Fact]
    public async Task Dates_are_date_numbers_and_the_chart_is_its_values()
    {
        using var workbook = await RenderAsync(SampleReports.Monthly(5));

        var ledger = Rows(workbook, "Ledger");
        var first = ledger.First(r => r.Elements<Cell>().Skip(1).FirstOrDefault() is { } c && Text(c) == "Customer 0000").Elements<Cell>().ToList();
        Assert.Equal(CellValues.Number, first[0].DataType!.Value);
        Assert.Equal(new DateTime(2026, 3, 1), DateTime.FromOADate(double.Parse(first[0].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        var summary = Rows(workbook, "Summary");
        var week = summary.Single(r => r.Elements<Cell>().FirstOrDefault() is { } c && Text(c) == "2026-03-09").Elements<Cell>().ToList();
        Assert.Equal(CellValues.Number, week[1].DataType!.Value);
        Assert.Equal("2500", week[1].CellValue!.Text);
        Assert.Contains(summary, r => r.Elements<Cell>().Select(Text).SequenceEqual(["Currency", "TZS"]));
    }

    [Fact]
    public async Task An_empty_report_keeps_its_note_headers_and_zero_total()
    {
        using var workbook = await RenderAsync(SampleReports.EmptyPaymentRequests());

        var rows = Rows(workbook, "Payment requests").Select(r => r.Elements<Cell>().Select(Text).ToList()).ToList();
        Assert.Contains(rows, r => r.SequenceEqual(["No maintenance requests in this period."]));
        Assert.Contains(rows, r => r.SequenceEqual(["Contractor", "Amount"]));
        Assert.Contains(rows, r => r.SequenceEqual(["Total", "0"]));
    }

    [Fact]
    public void Sheet_names_are_cut_to_31_characters_cleaned_and_unique()
    {
        var taken = new HashSet<string>();

        Assert.Equal("Revenue per mini-grid and villa", XlsxReportPack.SheetName("Revenue per mini-grid and village", taken));
        Assert.Equal("Revenue per mini-grid and v (2)", XlsxReportPack.SheetName("Revenue per mini-grid and village", taken));
        Assert.Equal("Targets   actual", XlsxReportPack.SheetName("Targets / actual", taken));
    }
}
