using System.Globalization;
using MPM.Sdk.Reports;
using PdfSharp.Pdf;

namespace MPM.Plugins.ReportsPdf;

/// <summary>
/// A report as an A4 PDF: the operator, title, period and currency in a header on every page and the page number in the
/// footer; each section's note, charts (bars of the series) and tables. A table that runs over a page repeats its
/// title and column headers; a cell too long for its column wraps onto more lines.
/// </summary>
public sealed class PdfReportPack : IReportPack
{
    public static readonly ReportFormat Pdf = new("pdf", "application/pdf", ".pdf");

    public IReadOnlyList<ReportFormat> Formats { get; } = [Pdf];

    public Task RenderAsync(ReportDocument report, string format, Stream output, CancellationToken cancellationToken)
    {
        if (!string.Equals(format, Pdf.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"the PDF pack renders pdf, not '{format}'", nameof(format));
        }

        SystemFontResolver.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"{report.Title} {Text.Period(report)}";
        document.Info.Author = report.OperatorName;
        document.Info.Creator = "MPM Platform";
        using (var layout = new PdfLayout(document, report))
        {
            layout.Title();
            foreach (var section in report.Sections)
            {
                cancellationToken.ThrowIfCancellationRequested();
                layout.Section(section);
            }
        }

        PdfLayout.Footers(document, report);
        document.Save(output, false);
        return Task.CompletedTask;
    }
}

/// <summary>How cells read: money with two decimals and thousands separators, dates as yyyy-MM-dd.</summary>
internal static class Text
{
    public static string Period(ReportDocument report) =>
        $"{report.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {report.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string Cell(object? value, ReportColumnType type) => value switch
    {
        null => "",
        string s => s,
        decimal d => type == ReportColumnType.Money ? d.ToString("#,##0.00", CultureInfo.InvariantCulture) : d.ToString("#,##0.###", CultureInfo.InvariantCulture),
        int i => i.ToString("#,##0", CultureInfo.InvariantCulture),
        long l => l.ToString("#,##0", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime at => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
