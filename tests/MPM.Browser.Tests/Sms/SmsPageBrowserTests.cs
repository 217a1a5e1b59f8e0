using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Customers;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Browser.Tests.Sms;

/// <summary>The SMS page in Chromium: a manager counts the recipients of a mini-grid, sends, and sees the messages in the log.</summary>
public sealed class SmsPageBrowserTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<BrowserHost>
{
    private const string Email = "sms-manager@example.com";

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

    [Fact]
    public async Task A_manager_sees_how_many_will_receive_a_bulk_sms_sends_it_and_finds_it_in_the_log()
    {
        await SeedAsync();
        await InBrowserAsync(async page =>
        {
            await LogInAsync(page, Email, BrowserHost.Password);
            await Assertions.Expect(page.Locator("#mpm-user-name")).ToHaveTextAsync(Email);

            await page.GotoAsync("/Sms");
            await Assertions.Expect(page.Locator("#sms-no-gateway")).ToBeVisibleAsync();
            await page.Locator("#sms-to").SelectOptionAsync(new SelectOptionValue { Label = "Bukoba" });
            await page.FillAsync("#sms-message", "Power off on Sunday 8-12 for maintenance.");
            await page.ClickAsync("#sms-count");
            await Assertions.Expect(page.Locator("#sms-recipients")).ToContainTextAsync("2 people with a phone will receive this message.");
            await Assertions.Expect(page.Locator("#sms-send")).ToHaveTextAsync("Send to 2");

            await page.ClickAsync("#sms-send");
            await page.WaitForURLAsync("**/Sms?dir=out", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.Locator("#mpm-flash")).ToContainTextAsync("2 message(s) queued");
            var rows = page.Locator("#sms-log tbody tr[data-direction=out]");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#sms-log")).ToContainTextAsync("+255712000001");
            await Assertions.Expect(page.Locator("#sms-log")).ToContainTextAsync("+255712000002");
            await Assertions.Expect(page.Locator("#sms-log")).Not.ToContainTextAsync("+255712000003");

            await page.FillAsync("#sms-log-search", "Juma");
            await page.ClickAsync("#sms-log-submit");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync("Juma Mwita");
        });
    }
}
