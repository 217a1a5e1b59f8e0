using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core.Domain;
using MPM.Integration.Tests.Dashboards;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using MPM.Web.Features.Reports;
using UglyToad.PdfPig;
using Xunit;

namespace MPM.Integration.Tests.Reports;

/// <summary>Reports rendered by the shipped packs, kept, listed and served by the Reports page, generated on schedule and by the CLI.</summary>
[Collection(ReportCollection.Name)]
public sealed class ReportArchiveTests(DashboardFixture fixture)
{
    private static readonly ReportPeriod March = ReportPeriod.Of(ReportKinds.Monthly, new DateOnly(2026, 3, 1));

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }

    [Fact]
    public async Task Both_packs_render_and_a_report_generated_again_replaces_its_files()
    {
        var first = await fixture.WithServiceAsync<ReportArchive, IReadOnlyList<RenderedReport>>(a => a.GenerateAsync(ReportKinds.Monthly, March, "test"));
        var again = await fixture.WithServiceAsync<ReportArchive, IReadOnlyList<RenderedReport>>(a => a.GenerateAsync(ReportKinds.Monthly, March, "test"));
        var stored = await fixture.WithServiceAsync<ReportArchive, List<StoredReport>>(a => a.ListAsync());

        Assert.Equal(["pdf", "xlsx"], first.Select(r => r.Format.Name).ToArray());
        Assert.Equal(2, again.Count);
        var march = stored.Where(r => r.Kind == ReportKinds.Monthly && r.PeriodStart == March.Start).ToList();
        Assert.Equal(["pdf", "xlsx"], march.Select(r => r.Format).Order().ToArray());
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(first[0].Content, 0, 5));
        // The mini-grid table's total row: payments, energy, access rate, asset rates, revenue, kWh.
        Assert.Contains("Total 5 3,200.00 300.00 0.00 4,550.00 8.5", PdfText(first[0].Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scheduled_job_generates_the_past_week_and_month_once()
    {
        // Sunday 15 March 2026 10:00: the week 2-8 March and February are due.
        await RunJobAsync();
        var stored = await fixture.WithServiceAsync<ReportArchive, List<StoredReport>>(a => a.ListAsync());
        await RunJobAsync();
        var again = await fixture.WithServiceAsync<ReportArchive, List<StoredReport>>(a => a.ListAsync());

        var scheduled = stored.Where(r => r.GeneratedBy == ReportScheduleJob.By).Select(r => (r.Kind, r.PeriodStart, r.Format)).Order().ToList();
        Assert.Equal(
            [
                (ReportKinds.Monthly, new DateOnly(2026, 2, 1), "pdf"), (ReportKinds.Monthly, new DateOnly(2026, 2, 1), "xlsx"),
                (ReportKinds.PaymentRequests, new DateOnly(2026, 2, 1), "pdf"), (ReportKinds.PaymentRequests, new DateOnly(2026, 2, 1), "xlsx"),
                (ReportKinds.Weekly, new DateOnly(2026, 3, 2), "pdf"), (ReportKinds.Weekly, new DateOnly(2026, 3, 2), "xlsx"),
            ],
            scheduled);
        Assert.Equal(stored.Select(r => (r.Id, r.GeneratedAt)).Order(), again.Select(r => (r.Id, r.GeneratedAt)).Order());
    }

    private async Task RunJobAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReportScheduleJob>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_reports_page_generates_lists_and_serves_each_format()
    {
        var manager = await fixture.Factory.LoginAsync(DashboardFixture.ManagerEmail, DashboardFixture.Password);
        var posted = await MpmWebFactory.PostFormAsync(manager, "/Reports?handler=Generate", new() { ["Kind"] = ReportKinds.Weekly, ["Period"] = "2026-03-11" }, "/Reports");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var run = Regex.Match(posted.Headers.Location!.OriginalString, @"run=(\d+)").Groups[1].Value;

        // Generation runs in the background: the page follows it through the Run handler until it is done.
        var progress = await PollRunAsync(manager, run);
        Assert.Equal("done", progress.GetProperty("status").GetString());
        Assert.Equal(2, progress.GetProperty("formatsDone").GetInt32());
        Assert.Equal(2, progress.GetProperty("formatsTotal").GetInt32());
        Assert.Equal(["pdf", "xlsx"], progress.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("format").GetString() ?? "").Order().ToArray());
        Assert.Contains("id=\"run\"", await manager.GetStringAsync($"/Reports?run={run}"), StringComparison.Ordinal);

        var page = await manager.GetStringAsync("/Reports");
        Assert.Contains("data-kind=\"weekly\" data-period=\"2026-03-09\"", page, StringComparison.Ordinal);
        var ids = Regex.Matches(page, "<a [^>]*>")
            .Select(a => (Id: Regex.Match(a.Value, "href=\"/Reports\\?id=(\\d+)&amp;handler=Download\""), File: Regex.Match(a.Value, "download=\"weekly-report-2026-03-09-to-2026-03-15(\\.\\w+)\"")))
            .Where(a => a.Id.Success && a.File.Success)
            .ToDictionary(a => a.File.Groups[1].Value, a => a.Id.Groups[1].Value);
        Assert.Equal([".pdf", ".xlsx"], ids.Keys.Order().ToArray());

        var pdf = await manager.GetAsync($"/Reports?handler=Download&id={ids[".pdf"]}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Total 2 2,500.00 0.00 0.00 2,500.00 5", PdfText(await pdf.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        var xlsx = await manager.GetAsync($"/Reports?handler=Download&id={ids[".xlsx"]}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(await xlsx.Content.ReadAsByteArrayAsync(), 0, 2));
    }

    [Fact]
    public async Task A_run_that_fails_shows_failed_with_its_reason()
    {
        var manager = await fixture.Factory.LoginAsync(DashboardFixture.ManagerEmail, DashboardFixture.Password);
        // A kind no version of the page queues (a run left by an older release, say): the runner records why it failed.
        var id = await fixture.WithServiceAsync<MPM.Data.MpmDb, long>(db => LinqToDB.DataExtensions.InsertWithInt64IdentityAsync(db, new ReportRunRecord
        {
            Kind = "quarterly", PeriodStart = new DateOnly(2026, 1, 1), PeriodEnd = new DateOnly(2026, 3, 31), RequestedBy = "test", RequestedAt = DashboardFixture.Now,
        }));
        fixture.Factory.Services.GetRequiredService<ReportRunSignal>().Notify();

        var progress = await PollRunAsync(manager, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("failed", progress.GetProperty("status").GetString());
        Assert.Contains("unknown report kind 'quarterly'", progress.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(progress.GetProperty("files").EnumerateArray());
        Assert.Contains("Failed: unknown report kind", await manager.GetStringAsync($"/Reports?run={id}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync("/Reports?handler=Run&id=999999")).StatusCode);
    }

    /// <summary>The page's progress endpoint, polled (as the page does) until the run is done or failed; bounded.</summary>
    private static async Task<System.Text.Json.JsonElement> PollRunAsync(HttpClient client, string run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"/Reports?handler=Run&id={run}")).RootElement;
            var status = json.GetProperty("status").GetString();
            Assert.Contains(status, new[] { "queued", "running", "done", "failed" });
            if (status is "done" or "failed" || DateTime.UtcNow > deadline)
            {
                return json;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_viewer_sees_the_reports_but_cannot_generate_one()
    {
        var viewer = await fixture.Factory.LoginAsync(DashboardFixture.ViewerEmail, DashboardFixture.Password);

        var page = await viewer.GetStringAsync("/Reports");
        Assert.DoesNotContain("id=\"generate\"", page, StringComparison.Ordinal);
        var posted = await MpmWebFactory.PostFormAsync(viewer, "/Reports?handler=Generate", new() { ["Kind"] = ReportKinds.Weekly, ["Period"] = "2026-03-11" }, "/Reports");
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
    }

    [Fact]
    public async Task The_cli_writes_the_monthly_pdf_whose_total_is_the_dashboards()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mpm-report-").FullName, "march.pdf");
        var environment = new Dictionary<string, string> { ["ConnectionStrings__Mpm"] = fixture.ConnectionString };

        var result = await HostProcess.RunAsync(["reports", "generate", "--kind", "monthly", "--period", "2026-03-20", "--format", "pdf", "--out", file], environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2026-03-01 to 2026-03-31", result.Stdout, StringComparison.Ordinal);
        var text = PdfText(await File.ReadAllBytesAsync(file));
        Assert.Contains("Total 5 3,200.00 300.00 0.00 4,550.00 8.5", text, StringComparison.Ordinal);
        Assert.Contains("Period 2026-03-01 to 2026-03-31", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--kind daily --period 2026-03-20 --format pdf --out x.pdf", "--kind must be one of weekly, monthly, payment-requests")]
    [InlineData("--kind weekly --period 20-03-2026 --format pdf --out x.pdf", "--period must be a date")]
    [InlineData("--kind weekly --period 2026-03-20 --format docx --out x.pdf", "--format must be one of pdf, xlsx")]
    [InlineData("--kind weekly --period 2026-03-20 --format pdf", "--out is required")]
    public async Task Bad_cli_arguments_exit_with_2_and_say_what_is_wrong(string arguments, string message)
    {
        var environment = new Dictionary<string, string> { ["ConnectionStrings__Mpm"] = fixture.ConnectionString };

        var result = await HostProcess.RunAsync(["reports", "generate", .. arguments.Split(' ')], environment);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }
}
