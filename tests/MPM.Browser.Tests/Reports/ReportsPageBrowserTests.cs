using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Core.Domain;
using MPM.Web.Features.Reports;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Browser.Tests.Reports;

/// <summary>
/// The Reports page in Chromium: stored reports listed by period, "Generate now" followed through queued/running to
/// done while the page polls, and both formats downloaded.
/// </summary>
public sealed class ReportsPageBrowserTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<BrowserHost>
{
    private const string Email = "reports-manager@example.com";

    [Fact]
    public async Task A_manager_generates_a_report_now_watches_its_progress_and_downloads_both_formats()
    {
        await Host.Factory.AddUserAsync(Email, BrowserHost.Password, Roles.Manager);
        // Stored earlier (as the schedule would): the monthly report of February 2026.
        await using (var scope = Host.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReportArchive>().GenerateAsync(ReportKinds.Monthly, ReportPeriod.Of(ReportKinds.Monthly, new DateOnly(2026, 2, 10)), "schedule");
        }

        await InBrowserAsync(async page =>
        {
            await LogInAsync(page, Email, BrowserHost.Password);
            await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(Email);

            await page.GotoAsync("/Reports");
            var february = page.Locator("#reports tr[data-kind=monthly][data-period='2026-02-01']");
            await Assertions.Expect(february).ToContainTextAsync("2026-02-01 to 2026-02-28");
            await Assertions.Expect(february.Locator("a")).ToHaveCountAsync(2);

            // Hold the reports table so the run stays at its first format while the page shows it.
            await using var holder = new NpgsqlConnection(Host.Database.ConnectionString);
            await holder.OpenAsync();
            var hold = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE mpm.reports IN EXCLUSIVE MODE", holder, hold))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            await page.Locator("#kind").SelectOptionAsync(ReportKinds.Weekly);
            await page.FillAsync("#period", "2026-03-11");
            await page.ClickAsync("#generate-now");
            await page.WaitForURLAsync("**/Reports?run=*", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.Locator("#run-title")).ToHaveTextAsync("Weekly revenue report 2026-03-09 to 2026-03-15");
            await Assertions.Expect(page.Locator("#run-status")).ToHaveTextAsync("running");
            await Assertions.Expect(page.Locator("#run-step")).ToHaveTextAsync("rendering PDF");
            await Assertions.Expect(page.Locator("#run-formats")).ToHaveTextAsync("0 of 2 formats stored");
            await Assertions.Expect(page.Locator("#run-files a")).ToHaveCountAsync(0);

            await hold.RollbackAsync();
            await Assertions.Expect(page.Locator("#run-status")).ToHaveTextAsync("done");
            await Assertions.Expect(page.Locator("#run")).ToHaveAttributeAsync("data-status", "done");
            await Assertions.Expect(page.Locator("#run-formats")).ToHaveTextAsync("2 of 2 formats stored");
            await Assertions.Expect(page.Locator("#run-files a")).ToHaveCountAsync(2);

            await DownloadAsync(page, "pdf", "%PDF-", "application/pdf");
            await DownloadAsync(page, "xlsx", "PK", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

            // The new report is in the list, next to February's.
            await page.GotoAsync("/Reports");
            await Assertions.Expect(page.Locator("#reports tr[data-kind=weekly][data-period='2026-03-09'] a")).ToHaveCountAsync(2);
            await Assertions.Expect(february).ToBeVisibleAsync();
        });
    }

    /// <summary>Downloads the run's file of <paramref name="format"/> by its link, as a user would, and checks the file and the answer's content type.</summary>
    private static async Task DownloadAsync(IPage page, string format, string magic, string contentType)
    {
        var link = page.Locator($"#run-files a[data-format={format}]");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal($"weekly-report-2026-03-09-to-2026-03-15.{format}", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.True(bytes.Length > 1000, $"{format} of {bytes.Length} bytes");
        Assert.Equal(magic, System.Text.Encoding.ASCII.GetString(bytes, 0, magic.Length));
        var response = await page.Context.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        Assert.Equal(contentType, response.Headers["content-type"]);
    }
}
