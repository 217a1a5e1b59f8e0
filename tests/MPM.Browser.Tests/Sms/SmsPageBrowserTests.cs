using System.Security.Cryptography;
using System.Text;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Operator;
using MPM.Web.Settings;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Browser.Tests.Sms;

/// <summary>
/// The SMS page in Chromium: a manager counts the recipients of a mini-grid, sends through the sms-http gateway (an
/// Android gateway app faked on loopback), follows the send's progress as delivery reports arrive, and sees the
/// messages in the log; a template edit with a wrong placeholder is refused on the Templates page.
/// </summary>
public sealed class SmsPageBrowserTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<BrowserHost>
{
    private const string Email = "sms-manager@example.com";
    private const string WebhookSecret = "browser-webhook-secret";

    /// <summary>Mini-grid Bukoba with two customers (Asha and Juma), Muleba with one (Rehema), and a manager.</summary>
    private async Task SeedAsync()
    {
        await Host.Factory.AddUserAsync(Email, BrowserHost.Password, Roles.Manager);
        await using var scope = Host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = DateTimeOffset.UtcNow;
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Kagera", CreatedAt = now });
        var bukoba = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        var muleba = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Muleba", Latitude = -1.83m, Longitude = 31.65m, CreatedAt = now });
        var kashai = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = bukoba, Name = "Kashai", Latitude = -1.30m, Longitude = 31.80m, CreatedAt = now });
        var kimeya = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = muleba, Name = "Kimeya", Latitude = -1.80m, Longitude = 31.60m, CreatedAt = now });
        var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Household", PricePerKWh = 500m, CreatedAt = now });
        var manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
        var registration = scope.ServiceProvider.GetRequiredService<Registration>();
        foreach (var (name, phone, village, serial) in new[] { ("Asha", "+255712000001", kashai, "KB-1001"), ("Juma", "+255712000002", kashai, "KB-1002"), ("Rehema", "+255712000003", kimeya, "KB-2001") })
        {
            var result = await registration.RegisterAsync(new RegistrationRequest(
                new CustomerInput(name, "Mwita", phone, null, null), new AddressInput(village, null, null, null), new MeterInput(serial, manufacturer, tariff, null, null)));
            Assert.True(result.Succeeded, result.Conflict);
        }
    }

    /// <summary>A gateway app on loopback that accepts every message (the host's id is then the delivery reports' id).</summary>
    private static async Task<WebApplication> FakeGatewayAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/message", () => Results.Content("{}", "application/json"));
        await app.StartAsync();
        return app;
    }

    private async Task UseGatewayAsync(string baseUrl)
    {
        await using var scope = Host.Factory.Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().SaveAsync(
            "sms-http", PluginSettingsStore.PluginScope, new Dictionary<string, string?> { ["sendUrl"] = $"{baseUrl}/message", ["webhookSecret"] = WebhookSecret }, "test");
        Assert.Empty(errors);
        await scope.ServiceProvider.GetRequiredService<MpmDb>().InsertOrReplaceAsync(new OperatorSettingRecord { Key = "sms.gateway", Value = "sms-http" });
        scope.ServiceProvider.GetRequiredService<OperatorProfile>().Invalidate();
    }

    /// <summary>A delivery report from the gateway app, signed as the sms-http webhook requires.</summary>
    private async Task ReportAsync(long messageId, string outcome)
    {
        var body = $$"""{"event":"{{outcome}}","id":"{{messageId}}","reason":"{{(outcome == "failed" ? "RESULT_ERROR_NO_SERVICE" : "")}}"}""";
        using var client = new HttpClient { BaseAddress = new Uri(Host.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/plugins/sms-http/incoming") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes(body))));
        Assert.True((await client.SendAsync(request)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_manager_sees_how_many_will_receive_a_bulk_sms_sends_it_follows_its_progress_and_finds_it_in_the_log()
    {
        await SeedAsync();
        await using var gateway = await FakeGatewayAppAsync();
        await UseGatewayAsync(gateway.Urls.First());
        await InBrowserAsync(async page =>
        {
            await LogInAsync(page, Email, BrowserHost.Password);
            await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(Email);

            await page.GotoAsync("/Sms");
            await Assertions.Expect(page.Locator("#sms-gateway-current")).ToHaveTextAsync("Gateway: sms-http");
            await page.Locator("#sms-to").SelectOptionAsync(new SelectOptionValue { Label = "Bukoba" });
            await page.FillAsync("#sms-message", "Power off on Sunday 8-12 for maintenance.");
            await page.ClickAsync("#sms-count");
            await Assertions.Expect(page.Locator("#sms-recipients")).ToContainTextAsync("2 people with a phone will receive this message.");
            await Assertions.Expect(page.Locator("#sms-send")).ToHaveTextAsync("Send to 2");

            await page.ClickAsync("#sms-send");
            await page.WaitForURLAsync("**/Sms?dir=out&send=*", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.Locator("#mpm-flash")).ToContainTextAsync("2 message(s) queued");
            await Assertions.Expect(page.Locator("#sms-progress-recipients")).ToHaveTextAsync("2");
            await Assertions.Expect(page.Locator("#sms-progress-queued")).ToHaveTextAsync("0");
            await Assertions.Expect(page.Locator("#sms-progress-sent")).ToHaveTextAsync("2");
            await Assertions.Expect(page.Locator("#sms-progress-state")).ToHaveTextAsync("all handed to the gateway, waiting for delivery reports");

            // Delivery reports arrive while the page is open: the card follows them without a reload.
            List<long> sent;
            using (var scope = Host.Factory.Services.CreateScope())
            {
                sent = await scope.ServiceProvider.GetRequiredService<MpmDb>().SmsMessages.Where(m => m.Direction == "out").OrderBy(m => m.Phone).Select(m => m.Id).ToListAsync();
            }

            Assert.Equal(2, sent.Count);
            await ReportAsync(sent[0], "delivered");
            await Assertions.Expect(page.Locator("#sms-progress-delivered")).ToHaveTextAsync("1");
            await Assertions.Expect(page.Locator("#sms-progress-sent")).ToHaveTextAsync("1");
            await ReportAsync(sent[1], "failed");
            await Assertions.Expect(page.Locator("#sms-progress-failed")).ToHaveTextAsync("1");
            await Assertions.Expect(page.Locator("#sms-progress-state")).ToHaveTextAsync("done");
            await Assertions.Expect(page.Locator("#sms-progress")).ToHaveAttributeAsync("data-finished", "true");

            // The log shows each message with its status: exactly Bukoba's customers.
            await page.ReloadAsync();
            var rows = page.Locator("#sms-log tbody tr[data-direction=out]");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator($"#sms-log tr[data-id='{sent[0]}']")).ToContainTextAsync("+255712000001");
            await Assertions.Expect(page.Locator($"#sms-log tr[data-id='{sent[0]}'] .badge")).ToHaveTextAsync("delivered");
            await Assertions.Expect(page.Locator($"#sms-log tr[data-id='{sent[1]}']")).ToContainTextAsync("+255712000002");
            await Assertions.Expect(page.Locator($"#sms-log tr[data-id='{sent[1]}'] .badge")).ToHaveTextAsync("failed");
            await Assertions.Expect(page.Locator($"#sms-log tr[data-id='{sent[1]}']")).ToContainTextAsync("RESULT_ERROR_NO_SERVICE");
            await Assertions.Expect(page.Locator("#sms-log")).Not.ToContainTextAsync("+255712000003");

            await page.FillAsync("#sms-log-search", "Juma");
            await page.ClickAsync("#sms-log-submit");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync("Juma Mwita");

            // The resend reply's template: a misspelt placeholder is refused and named.
            await page.ClickAsync("#sms-templates-link");
            await page.FillAsync("#template-sms-resend-body", "Meter {meter}: token {tokn}");
            await page.ClickAsync("#template-sms-resend-save");
            await Assertions.Expect(page.Locator("[data-problems='sms.resend']")).ToContainTextAsync("Unknown placeholder {tokn}");
            await Assertions.Expect(page.Locator("[data-problems='sms.resend']")).ToContainTextAsync("{token} is missing");
            await page.GotoAsync("/Sms/Templates");
            await Assertions.Expect(page.Locator("#template-sms-resend-body")).ToHaveValueAsync("Meter {meter}: your last token {token} for {kwh} kWh.");
        });
    }
}
