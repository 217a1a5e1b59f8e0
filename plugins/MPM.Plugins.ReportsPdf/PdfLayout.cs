using System.Globalization;
using MPM.Sdk.Reports;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MPM.Plugins.ReportsPdf;

/// <summary>Lays a report out top to bottom over as many A4 pages as it needs.</summary>
internal sealed class PdfLayout : IDisposable
{
    private const double Margin = 40;
    private const double HeaderHeight = 34;
    private const double FooterHeight = 24;
    private const double CellPadding = 3;
    private const double ChartHeight = 190;

    private static readonly XFont TitleFont = new(SystemFontResolver.Family, 16, XFontStyleEx.Bold);
    private static readonly XFont SectionFont = new(SystemFontResolver.Family, 12, XFontStyleEx.Bold);
    private static readonly XFont TableTitleFont = new(SystemFontResolver.Family, 9.5, XFontStyleEx.Bold);
    private static readonly XFont BodyFont = new(SystemFontResolver.Family, 8, XFontStyleEx.Regular);
    private static readonly XFont BoldFont = new(SystemFontResolver.Family, 8, XFontStyleEx.Bold);
    private static readonly XFont SmallFont = new(SystemFontResolver.Family, 6.5, XFontStyleEx.Regular);
    private static readonly XFont NoteFont = new(SystemFontResolver.Family, 9, XFontStyleEx.Regular);
    private static readonly XBrush HeaderFill = new XSolidBrush(XColor.FromArgb(230, 234, 240));
    private static readonly XBrush BarFill = new XSolidBrush(XColor.FromArgb(45, 110, 180));
    private static readonly XPen Rule = new(XColor.FromArgb(170, 170, 170), 0.5);

    private readonly PdfDocument _document;
    private readonly ReportDocument _report;
    private XGraphics? _graphics;
    private double _y;
    private double _width;
    private double _height;

    public PdfLayout(PdfDocument document, ReportDocument report)
    {
        _document = document;
        _report = report;
        NewPage();
    }

    private XGraphics G => _graphics!;

    private double Left => Margin;

    private double ContentWidth => _width - 2 * Margin;

    private double Bottom => _height - Margin - FooterHeight;

    public void Dispose() => _graphics?.Dispose();

    public void Title()
    {
        Lines(_report.Title, TitleFont, ContentWidth, 20);
        Lines($"{_report.OperatorName} · {Text.Period(_report)} · amounts in {_report.Currency}", NoteFont, ContentWidth, 12);
        _y += 8;
    }

    public void Section(ReportSection section)
    {
        Room(60);
        _y += 6;
        Lines(section.Title, SectionFont, ContentWidth, 16);
        if (!string.IsNullOrWhiteSpace(section.Note))
        {
            Lines(section.Note, NoteFont, ContentWidth, 12);
        }

        _y += 4;
        foreach (var chart in section.Charts)
        {
            Chart(chart);
        }

        foreach (var table in section.Tables)
        {
            Table(table);
        }
    }

    /// <summary>The page number in every page's footer, once the number of pages is known.</summary>
    public static void Footers(PdfDocument document, ReportDocument report)
    {
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin - FooterHeight + 8;
            g.DrawLine(Rule, Margin, y, page.Width.Point - Margin, y);
            g.DrawString($"{report.OperatorName} · {report.Title} · {Text.Period(report)} · {report.Currency}", SmallFont, XBrushes.DimGray, new XRect(Margin, y + 4, page.Width.Point - 2 * Margin, 10), XStringFormats.TopLeft);
            g.DrawString($"Page {i + 1} of {document.PageCount}", SmallFont, XBrushes.DimGray, new XRect(Margin, y + 4, page.Width.Point - 2 * Margin, 10), XStringFormats.TopRight);
        }
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _width = page.Width.Point;
        _height = page.Height.Point;
        _graphics = XGraphics.FromPdfPage(page);
        var header = new XRect(Margin, Margin - 14, ContentWidth, 10);
        G.DrawString(_report.OperatorName, BoldFont, XBrushes.Black, header, XStringFormats.TopLeft);
        G.DrawString(_report.Title, BodyFont, XBrushes.Black, header, XStringFormats.TopRight);
        header.Offset(0, 11);
        G.DrawString($"Period {Text.Period(_report)}", BodyFont, XBrushes.DimGray, header, XStringFormats.TopLeft);
        G.DrawString($"Currency {_report.Currency}", BodyFont, XBrushes.DimGray, header, XStringFormats.TopRight);
        G.DrawLine(Rule, Margin, Margin + 10, _width - Margin, Margin + 10);
        _y = Margin + HeaderHeight - 10;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    private bool Room(double height)
    {
        if (_y + height <= Bottom)
        {
            return false;
        }

        NewPage();
        return true;
    }

    private void Lines(string text, XFont font, double width, double lineHeight)
    {
        foreach (var line in Wrap(text, font, width))
        {
            Room(lineHeight);
            G.DrawString(line, font, XBrushes.Black, new XRect(Left, _y, width, lineHeight), XStringFormats.TopLeft);
            _y += lineHeight;
        }
    }

    /// <summary>The text in lines no wider than <paramref name="width"/>: broken between words, and inside a word too long for a line.</summary>
    internal List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (G.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                line = word;
                while (line.Length > 1 && G.MeasureString(line, font).Width > width)
                {
                    var fits = line.Length - 1;
                    while (fits > 1 && G.MeasureString(line[..fits], font).Width > width)
                    {
                        fits--;
                    }

                    lines.Add(line[..fits]);
                    line = line[fits..];
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    private void Table(ReportTable table)
    {
        var widths = Widths(table);
        var lineHeight = 10.0;
        Room(60);
        Heading(table, widths, lineHeight, continued: false);
        if (table.Rows.Count == 0)
        {
            Lines("No rows in this period.", NoteFont, ContentWidth, 12);
        }

        for (var r = 0; r < table.Rows.Count; r++)
        {
            Row(table, table.Rows[r], widths, lineHeight, BodyFont, r % 2 == 1 ? new XSolidBrush(XColor.FromArgb(247, 248, 250)) : null);
        }

        if (table.Totals is { } totals)
        {
            Row(table, totals, widths, lineHeight, BoldFont, HeaderFill);
        }

        _y += 10;
    }

    /// <summary>
    /// Column widths: numbers, money and dates as wide as their widest value (they are never broken), text columns
    /// sharing the rest by how wide their content is; whatever is left over is spread over all columns.
    /// </summary>
    private List<double> Widths(ReportTable table)
    {
        var lines = table.Rows.Append(table.Totals ?? []).ToList();
        var natural = table.Columns.Select((column, i) =>
        {
            var header = column.Header.Split(' ').Max(word => G.MeasureString(word, BoldFont).Width);
            var widest = lines.Where(r => i < r.Count).Select(r => Text.Cell(r[i], column.Type)).Where(t => t.Length > 0).Distinct()
                .Select(t => G.MeasureString(t, BoldFont).Width).DefaultIfEmpty(0).Max();
            return Math.Max(header, widest) + 2 * CellPadding + 1;
        }).ToList();
        var fixedColumns = table.Columns.Select(c => c.Type != ReportColumnType.Text).ToList();
        var fixedWidth = natural.Where((_, i) => fixedColumns[i]).Sum();
        var textWidth = natural.Where((_, i) => !fixedColumns[i]).Sum();
        if (fixedWidth + textWidth <= ContentWidth)
        {
            var spread = (ContentWidth - fixedWidth - textWidth) / natural.Count;
            return natural.Select(w => w + spread).ToList();
        }

        if (fixedWidth < ContentWidth * 0.8 && textWidth > 0)
        {
            var share = ContentWidth - fixedWidth;
            return natural.Select((w, i) => fixedColumns[i] ? w : w / textWidth * share).ToList();
        }

        return natural.Select(w => w / (fixedWidth + textWidth) * ContentWidth).ToList();
    }

    private void Heading(ReportTable table, List<double> widths, double lineHeight, bool continued)
    {
        if (!string.IsNullOrWhiteSpace(table.Title))
        {
            Lines(continued ? $"{table.Title} (continued)" : table.Title, TableTitleFont, ContentWidth, 13);
        }

        var cells = table.Columns.Select((c, i) => Wrap(c.Header, BoldFont, widths[i] - 2 * CellPadding)).ToList();
        var height = cells.Max(c => c.Count) * lineHeight + 2 * CellPadding;
        G.DrawRectangle(HeaderFill, Left, _y, ContentWidth, height);
        Cells(table, cells, widths, lineHeight, BoldFont);
        _y += height;
        G.DrawLine(Rule, Left, _y, Left + ContentWidth, _y);
    }

    private void Row(ReportTable table, IReadOnlyList<object?> values, List<double> widths, double lineHeight, XFont font, XBrush? fill)
    {
        var cells = table.Columns.Select((c, i) => Wrap(Text.Cell(i < values.Count ? values[i] : null, c.Type), font, widths[i] - 2 * CellPadding)).ToList();
        var height = cells.Max(c => c.Count) * lineHeight + 2 * CellPadding;
        if (Room(height))
        {
            Heading(table, widths, lineHeight, continued: true);
        }

        if (fill is not null)
        {
            G.DrawRectangle(fill, Left, _y, ContentWidth, height);
        }

        Cells(table, cells, widths, lineHeight, font);
        _y += height;
    }

    private void Cells(ReportTable table, List<List<string>> cells, List<double> widths, double lineHeight, XFont font)
    {
        var x = Left;
        for (var i = 0; i < cells.Count; i++)
        {
            var right = table.Columns[i].Type is ReportColumnType.Money or ReportColumnType.Number;
            for (var l = 0; l < cells[i].Count; l++)
            {
                var rect = new XRect(x + CellPadding, _y + CellPadding + l * lineHeight, widths[i] - 2 * CellPadding, lineHeight);
                G.DrawString(cells[i][l], font, XBrushes.Black, rect, right ? XStringFormats.TopRight : XStringFormats.TopLeft);
            }

            x += widths[i];
        }
    }

    /// <summary>A bar per label, its value over it, on an axis from 0 to a round maximum.</summary>
    private void Chart(ReportChart chart)
    {
        Room(ChartHeight + 40);
        Lines(chart.Title, TableTitleFont, ContentWidth, 13);
        var axisWidth = 50.0;
        var plot = new XRect(Left + axisWidth, _y + 10, ContentWidth - axisWidth, ChartHeight - 40);
        var max = RoundUp(chart.Values.DefaultIfEmpty(0m).Max());
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            var y = plot.Bottom - plot.Height * tick / 4;
            G.DrawLine(Rule, plot.Left, y, plot.Right, y);
            G.DrawString(value.ToString("#,##0", CultureInfo.InvariantCulture), SmallFont, XBrushes.DimGray, new XRect(Left, y - 4, axisWidth - 4, 8), XStringFormats.TopRight);
        }

        var count = Math.Max(chart.Values.Count, 1);
        var slot = plot.Width / count;
        var every = Math.Max(1, (int)Math.Ceiling(count / 16.0));
        for (var i = 0; i < chart.Values.Count; i++)
        {
            var height = max == 0 ? 0 : (double)(chart.Values[i] / max) * plot.Height;
            var x = plot.Left + i * slot + slot * 0.15;
            G.DrawRectangle(BarFill, x, plot.Bottom - height, slot * 0.7, height);
            if (count <= 16)
            {
                G.DrawString(chart.Values[i].ToString("#,##0", CultureInfo.InvariantCulture), SmallFont, XBrushes.Black, new XRect(plot.Left + i * slot, plot.Bottom - height - 9, slot, 8), XStringFormats.TopCenter);
            }

            if (i % every == 0 && i < chart.Labels.Count)
            {
                var lines = Wrap(chart.Labels[i], SmallFont, slot * every);
                for (var l = 0; l < Math.Min(lines.Count, 3); l++)
                {
                    G.DrawString(lines[l], SmallFont, XBrushes.Black, new XRect(plot.Left + i * slot, plot.Bottom + 3 + l * 8, slot * every, 8), XStringFormats.TopCenter);
                }
            }
        }

        G.DrawLine(XPens.Black, plot.Left, plot.Bottom, plot.Right, plot.Bottom);
        _y = plot.Bottom + 34;
    }

    private static decimal RoundUp(decimal value)
    {
        if (value <= 0)
        {
            return 0;
        }

        var step = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)value)));
        foreach (var factor in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (step * factor >= value)
            {
                return step * factor;
            }
        }

        return step * 10;
    }
}
