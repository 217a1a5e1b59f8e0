namespace MPM.Sdk.Reports;

/// <summary>Renders reports from data the core hands it. Never queries the database. Registered keyed by the plugin id.</summary>
public interface IReportPack
{
    /// <summary>File formats it renders, e.g. "pdf".</summary>
    IReadOnlyList<ReportFormat> Formats { get; }

    Task RenderAsync(ReportDocument report, string format, Stream output, CancellationToken cancellationToken);
}

public sealed record ReportFormat(string Name, string ContentType, string FileExtension);

/// <summary>A report: header facts plus sections of tables and charts, in order.</summary>
public sealed record ReportDocument(
    string Kind,
    string Title,
    string OperatorName,
    string Currency,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    IReadOnlyList<ReportSection> Sections);

public sealed record ReportSection(string Title, IReadOnlyList<ReportTable> Tables, IReadOnlyList<ReportChart> Charts)
{
    /// <summary>A sentence shown under the section title, e.g. why a table is empty.</summary>
    public string? Note { get; init; }
}

/// <summary>Cells are string, decimal, int/long, DateOnly, DateTime or null.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows, IReadOnlyList<object?>? Totals);

public sealed record ReportColumn(string Header, ReportColumnType Type);

public enum ReportColumnType
{
    Text,
    Number,
    Money,
    Date,
}

public sealed record ReportChart(string Title, IReadOnlyList<string> Labels, IReadOnlyList<decimal> Values);
