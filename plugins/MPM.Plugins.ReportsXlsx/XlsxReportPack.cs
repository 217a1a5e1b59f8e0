using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MPM.Sdk.Reports;

namespace MPM.Plugins.ReportsXlsx;

/// <summary>
/// A report as a workbook: one sheet per section, headed by the report's title, operator, period and currency; each
/// chart as its label/value pairs and each table with its column headers and totals. Money, numbers and dates are
/// number cells (dates with a date format), so they sum and sort in Excel.
/// </summary>
public sealed class XlsxReportPack : IReportPack
{
    public static readonly ReportFormat Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");

    private const uint DateStyle = 1;
    private const uint MoneyStyle = 2;
    private const uint BoldStyle = 3;
    private const uint BoldMoneyStyle = 4;

    public IReadOnlyList<ReportFormat> Formats { get; } = [Xlsx];

    public Task RenderAsync(ReportDocument report, string format, Stream output, CancellationToken cancellationToken)
    {
        if (!string.Equals(format, Xlsx.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"the spreadsheet pack renders xlsx, not '{format}'", nameof(format));
        }

        // The package needs a seekable stream; a response body is not one.
        using var buffer = new MemoryStream();
        using (var workbook = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = workbook.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            uint id = 1;
            foreach (var section in report.Sections)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                Fill(data, report, section);
                sheetPart.Worksheet = new Worksheet(new Columns(new Column { Min = 1, Max = 12, Width = 18, CustomWidth = true }), data);
                sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = id++, Name = SheetName(section.Title, names) });
            }

            workbookPart.Workbook.Save();
        }

        buffer.Position = 0;
        buffer.CopyTo(output);
        return Task.CompletedTask;
    }

    /// <summary>A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook.</summary>
    internal static string SheetName(string title, ISet<string> taken)
    {
        var clean = new string(title.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? ' ' : c).ToArray()).Trim();
        clean = clean.Length == 0 ? "Sheet" : clean;
        var name = clean.Length > 31 ? clean[..31] : clean;
        for (var n = 2; !taken.Add(name); n++)
        {
            var suffix = $" ({n})";
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return name;
    }

    private static void Fill(SheetData data, ReportDocument report, ReportSection section)
    {
        uint row = 0;
        Row Next() => data.AppendChild(new Row { RowIndex = ++row });

        Next().Append(TextCell(report.Title, BoldStyle));
        Next().Append(TextCell("Operator"), TextCell(report.OperatorName));
        Next().Append(TextCell("Period"), DateCell(report.PeriodStart, DateStyle), DateCell(report.PeriodEnd, DateStyle));
        Next().Append(TextCell("Currency"), TextCell(report.Currency));
        Next();
        Next().Append(TextCell(section.Title, BoldStyle));
        if (!string.IsNullOrWhiteSpace(section.Note))
        {
            Next().Append(TextCell(section.Note));
        }

        foreach (var chart in section.Charts)
        {
            Next();
            Next().Append(TextCell(chart.Title, BoldStyle));
            Next().Append(TextCell("Label", BoldStyle), TextCell("Value", BoldStyle));
            for (var i = 0; i < chart.Values.Count; i++)
            {
                Next().Append(TextCell(i < chart.Labels.Count ? chart.Labels[i] : ""), NumberCell(chart.Values[i], MoneyStyle));
            }
        }

        foreach (var table in section.Tables)
        {
            Next();
            Next().Append(TextCell(table.Title, BoldStyle));
            Next().Append(table.Columns.Select(c => TextCell(c.Header, BoldStyle)).ToArray<OpenXmlElement>());
            foreach (var values in table.Rows)
            {
                Next().Append(Cells(table.Columns, values, bold: false));
            }

            if (table.Totals is { } totals)
            {
                Next().Append(Cells(table.Columns, totals, bold: true));
            }
        }
    }

    private static OpenXmlElement[] Cells(IReadOnlyList<ReportColumn> columns, IReadOnlyList<object?> values, bool bold) =>
        columns.Select((column, i) => Cell(i < values.Count ? values[i] : null, column.Type, bold)).ToArray<OpenXmlElement>();

    private static Cell Cell(object? value, ReportColumnType type, bool bold) => value switch
    {
        null => new Cell(),
        decimal d => NumberCell(d, type == ReportColumnType.Money ? (bold ? BoldMoneyStyle : MoneyStyle) : (bold ? BoldStyle : 0)),
        int i => NumberCell(i, bold ? BoldStyle : 0),
        long l => NumberCell(l, bold ? BoldStyle : 0),
        DateOnly day => DateCell(day, DateStyle),
        DateTime at => new Cell { DataType = CellValues.Number, CellValue = new CellValue(at.ToOADate().ToString(CultureInfo.InvariantCulture)), StyleIndex = DateStyle },
        _ => TextCell(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", bold ? BoldStyle : 0),
    };

    private static Cell NumberCell(decimal value, uint style) => new() { DataType = CellValues.Number, CellValue = new CellValue(value), StyleIndex = style };

    private static Cell DateCell(DateOnly day, uint style) =>
        new() { DataType = CellValues.Number, CellValue = new CellValue(day.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture)), StyleIndex = style };

    private static Cell TextCell(string text, uint style = 0) =>
        new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }), StyleIndex = style };

    /// <summary>Styles by index: 0 plain, 1 date (yyyy-mm-dd), 2 money (#,##0.00), 3 bold, 4 bold money.</summary>
    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true, FontId = 1, ApplyFont = true })
        { Count = 5 });
}
