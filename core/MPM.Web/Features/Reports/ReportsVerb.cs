using System.Globalization;
using MPM.Core.Domain;
using MPM.Sdk;
using MPM.Web.Cli;

namespace MPM.Web.Features.Reports;

/// <summary><c>reports generate --kind weekly|monthly|payment-requests --period yyyy-MM-dd --format pdf|xlsx --out FILE</c>.</summary>
public sealed class ReportsVerb(ReportArchive archive) : ICliVerb
{
    public const string Usage = "reports generate --kind weekly|monthly|payment-requests --period yyyy-MM-dd --format pdf|xlsx --out FILE";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.FirstOrDefault() != "generate")
        {
            throw new CliUsageException($"usage: {Usage}");
        }

        var parsed = CliArgs.Parse(args.Skip(1).ToList(), "--kind", "--period", "--format", "--out");
        var kind = parsed.Required("--kind");
        if (!ReportKinds.All.Contains(kind))
        {
            throw new CliUsageException($"--kind must be one of {string.Join(", ", ReportKinds.All)}, not '{kind}'");
        }

        if (!DateOnly.TryParseExact(parsed.Required("--period"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new CliUsageException("--period must be a date like 2026-03-15 (any day of the week or month)");
        }

        var format = parsed.Required("--format");
        var formats = archive.Formats().Select(f => f.Format.Name).ToList();
        if (!formats.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            throw new CliUsageException(formats.Count == 0
                ? "no report pack is active (enable reports-pdf or reports-xlsx in plugins.json)"
                : $"--format must be one of {string.Join(", ", formats)}, not '{format}'");
        }

        var file = Path.GetFullPath(parsed.Required("--out"));
        if (Path.GetDirectoryName(file) is { } folder && !Directory.Exists(folder))
        {
            throw new CliUsageException($"--out: the folder {folder} does not exist");
        }

        var period = ReportPeriod.Of(kind, day);
        var report = (await archive.RenderAsync(kind, period, format, cancellationToken))!;
        await File.WriteAllBytesAsync(file, report.Content, cancellationToken);
        output.WriteLine($"{ReportKinds.Title(kind)} {period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd} ({report.Format.Name}, {report.Content.Length:N0} bytes) written to {file}");
        return 0;
    }
}
