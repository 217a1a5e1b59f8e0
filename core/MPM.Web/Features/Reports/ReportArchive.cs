using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Mapping;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Sdk;
using MPM.Sdk.Reports;
using MPM.Web.Plugins;

namespace MPM.Web.Features.Reports;

[Table("reports", Schema = "mpm")]
public sealed class ReportRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("kind"), NotNull] public string Kind { get; set; } = "";
    [Column("period_start")] public DateOnly PeriodStart { get; set; }
    [Column("period_end")] public DateOnly PeriodEnd { get; set; }
    [Column("format"), NotNull] public string Format { get; set; } = "";
    [Column("content_type"), NotNull] public string ContentType { get; set; } = "";
    [Column("file_name"), NotNull] public string FileName { get; set; } = "";
    [Column("content"), NotNull] public byte[] Content { get; set; } = [];
    [Column("generated_at")] public DateTimeOffset GeneratedAt { get; set; }
    [Column("generated_by"), NotNull] public string GeneratedBy { get; set; } = "";
}

/// <summary>A stored report without its content, for lists.</summary>
public sealed record StoredReport(long Id, string Kind, DateOnly PeriodStart, DateOnly PeriodEnd, string Format, string FileName, int Size, DateTimeOffset GeneratedAt, string GeneratedBy);

/// <summary>A rendered report file.</summary>
public sealed record RenderedReport(string Kind, ReportPeriod Period, ReportFormat Format, string FileName, byte[] Content);

/// <summary>
/// Renders reports with the active report packs (plugins of kind "reports", each registered keyed by its id) and keeps
/// them in mpm.reports: one file per kind, period and format; generating again replaces it.
/// </summary>
public sealed class ReportArchive(MpmDb db, ReportData data, PluginHost plugins, IServiceProvider services, TimeProvider clock)
{
    /// <summary>The formats the active packs render, each with its pack (the first pack for a format wins).</summary>
    public IReadOnlyList<(ReportFormat Format, IReportPack Pack)> Formats() =>
        plugins.Active
            .Where(p => p.Manifest?.Kinds.Contains(PluginKinds.Reports) == true)
            .Select(p => services.GetKeyedService<IReportPack>(p.Id))
            .OfType<IReportPack>()
            .SelectMany(pack => pack.Formats.Select(f => (Format: f, Pack: pack)))
            .DistinctBy(f => f.Format.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(f => f.Format.Name, StringComparer.Ordinal)
            .ToList();

    public static string FileName(string kind, ReportPeriod period, ReportFormat format) =>
        $"{kind}-report-{period.Start:yyyy-MM-dd}-to-{period.End:yyyy-MM-dd}{format.FileExtension}";

    /// <summary>The report of <paramref name="kind"/> for <paramref name="period"/> as a file of <paramref name="format"/>; null when no active pack renders that format.</summary>
    public async Task<RenderedReport?> RenderAsync(string kind, ReportPeriod period, string format, CancellationToken cancellationToken = default)
    {
        var pack = Formats().FirstOrDefault(f => string.Equals(f.Format.Name, format, StringComparison.OrdinalIgnoreCase));
        if (pack.Pack is null)
        {
            return null;
        }

        var document = await data.BuildAsync(kind, period, cancellationToken);
        using var output = new MemoryStream();
        await pack.Pack.RenderAsync(document, pack.Format.Name, output, cancellationToken);
        return new RenderedReport(kind, period, pack.Format, FileName(kind, period, pack.Format), output.ToArray());
    }

    /// <summary>Renders the report in every available format and stores each file, replacing older ones of the same kind, period and format.</summary>
    public Task<IReadOnlyList<RenderedReport>> GenerateAsync(string kind, ReportPeriod period, string generatedBy, CancellationToken cancellationToken = default) =>
        GenerateAsync(kind, period, generatedBy, null, cancellationToken);

    /// <param name="progress">Told the format about to be rendered and how many are stored so far, and at the end the last format and the count.</param>
    public async Task<IReadOnlyList<RenderedReport>> GenerateAsync(string kind, ReportPeriod period, string generatedBy, Func<ReportFormat, int, Task>? progress, CancellationToken cancellationToken = default)
    {
        var rendered = new List<RenderedReport>();
        var formats = Formats();
        foreach (var (format, _) in formats)
        {
            if (progress is not null)
            {
                await progress(format, rendered.Count);
            }

            var report = (await RenderAsync(kind, period, format.Name, cancellationToken))!;
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            await db.GetTable<ReportRecord>().Where(r => r.Kind == kind && r.PeriodStart == period.Start && r.Format == format.Name).DeleteAsync(cancellationToken);
            await db.InsertAsync(
                new ReportRecord
                {
                    Kind = kind, PeriodStart = period.Start, PeriodEnd = period.End, Format = format.Name, ContentType = format.ContentType, FileName = report.FileName,
                    Content = report.Content, GeneratedAt = clock.GetUtcNow(), GeneratedBy = generatedBy,
                },
                token: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            rendered.Add(report);
        }

        if (progress is not null && formats.Count > 0)
        {
            await progress(formats[^1].Format, rendered.Count);
        }

        return rendered;
    }

    /// <summary>Stored reports, newest period first.</summary>
    public Task<List<StoredReport>> ListAsync(CancellationToken cancellationToken = default) =>
        db.GetTable<ReportRecord>()
            .OrderByDescending(r => r.PeriodStart).ThenBy(r => r.Kind).ThenBy(r => r.Format)
            .Select(r => new StoredReport(r.Id, r.Kind, r.PeriodStart, r.PeriodEnd, r.Format, r.FileName, Sql.Length(r.Content) ?? 0, r.GeneratedAt, r.GeneratedBy))
            .ToListAsync(cancellationToken);

    public Task<ReportRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        db.GetTable<ReportRecord>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Whether the report is stored in every available format.</summary>
    public async Task<bool> StoredAsync(string kind, ReportPeriod period, CancellationToken cancellationToken = default)
    {
        var stored = await db.GetTable<ReportRecord>().Where(r => r.Kind == kind && r.PeriodStart == period.Start).Select(r => r.Format).ToListAsync(cancellationToken);
        return Formats().All(f => stored.Contains(f.Format.Name));
    }
}
