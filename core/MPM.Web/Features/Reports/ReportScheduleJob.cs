using MPM.Core.Domain;
using MPM.Sdk;
using MPM.Web.Features.Operator;

namespace MPM.Web.Features.Reports;

/// <summary>
/// Generates the scheduled reports (<see cref="ReportSchedule"/>): runs every hour and generates each due report not
/// yet stored, so the weekly one appears on Monday after 03:00 and the monthly ones on the 1st, also after a host was
/// down at that hour.
/// </summary>
public sealed class ReportScheduleJob(ReportArchive archive, OperatorProfile profile, TimeProvider clock, ILogger<ReportScheduleJob> logger) : IScheduledJob
{
    public const string Cron = "5 * * * *";
    public const string By = "schedule";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var zone = (await profile.GetAsync(cancellationToken)).TimeZone;
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        foreach (var (kind, period) in ReportSchedule.Due(now))
        {
            if (!await archive.StoredAsync(kind, period, cancellationToken))
            {
                var files = await archive.GenerateAsync(kind, period, By, cancellationToken);
                logger.LogInformation("Scheduled {Kind} report {Start}..{End} generated in {Count} format(s)", kind, period.Start, period.End, files.Count);
            }
        }
    }
}
