using System.Globalization;
using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Testing;
using Xunit;
using static MPM.Integration.Tests.CustomerPages.CustomerPagesFixture;

namespace MPM.Integration.Tests.CustomerPages;

public sealed class MeterPageTests(CustomerPagesFixture fixture) : IClassFixture<CustomerPagesFixture>
{
    [Fact]
    public async Task The_meter_list_searches_by_serial_and_tariff_name_and_is_paged()
    {
        var serial = UniqueSerial();
        var (customerId, meterId) = await fixture.RegisterAsync("Neema", "List" + UniqueLetters(), UniquePhone(), serial);
        var tariff = "Night " + UniqueLetters();
        var tariffId = await fixture.WithDbAsync(db => db.InsertWithInt64IdentityAsync(new TariffRecord { Name = tariff, PricePerKWh = 300m, CreatedAt = DateTimeOffset.UtcNow }));
        var onTariff = new List<long>();
        for (var i = 0; i < 26; i++)
        {
            onTariff.Add((await fixture.RegisterAsync("Juma", "Night" + UniqueLetters(), UniquePhone(), UniqueSerial(), tariffId: tariffId)).MeterId);
        }

        var bySerial = await GetPageAsync(fixture.Viewer, $"/Meters?q={serial.ToLowerInvariant()}");
        Assert.Equal([meterId], LinkedIds(bySerial, "meters-table", "Meters"));
        var row = TableOf(bySerial, "meters-table");
        Assert.Contains($"href=\"/Customers/{customerId}\"", row);
        Assert.Contains("Household", row);
        Assert.Contains("Hexing", row);
        Assert.Contains("Kibaoni", row);

        var pageOne = LinkedIds(await GetPageAsync(fixture.Viewer, $"/Meters?q={Uri.EscapeDataString(tariff)}"), "meters-table", "Meters");
        var pageTwo = LinkedIds(await GetPageAsync(fixture.Viewer, $"/Meters?q={Uri.EscapeDataString(tariff)}&p=2"), "meters-table", "Meters");
        Assert.Equal(25, pageOne.Count);
        Assert.Single(pageTwo);
        Assert.Equal(onTariff.Order(), pageOne.Concat(pageTwo).Order());
        Assert.Empty(LinkedIds(await GetPageAsync(fixture.Viewer, "/Meters?q=%25"), "meters-table", "Meters"));
    }

    [Fact]
    public async Task The_meter_detail_shows_its_information_and_readings_only_when_there_are_some()
    {
        var serial = UniqueSerial();
        var (customerId, meterId) = await fixture.RegisterAsync("Neema", "Read" + UniqueLetters(), UniquePhone(), serial, tariffId: fixture.AccessTariffId);
        var account = await AccountAsync(meterId);

        var html = Decode(await GetPageAsync(fixture.Viewer, $"/Meters/{meterId}"));

        foreach (var section in new[] { "meter-basics", "meter-details", "access-rate", "meter-transactions" })
        {
            Assert.Contains($"id=\"{section}\"", html);
        }

        Assert.Contains($"id=\"meter-owner\" href=\"/Customers/{customerId}\"", html);
        Assert.Contains("0.00 TZS", html);
        Assert.Contains("id=\"meter-last-payment\">none<", html);
        Assert.Contains("Business weekly", html);
        Assert.Contains("450.00 TZS per kWh", html);
        Assert.Contains($"id=\"access-rate-next-due\">{account!.NextDue:yyyy-MM-dd}<", html);
        Assert.Contains("id=\"access-rate-debt\">0.00 TZS<", html);
        Assert.Contains("No transactions yet.", html);
        Assert.DoesNotContain("id=\"meter-readings\"", html);
        Assert.DoesNotContain("id=\"meter-actions\"", html);

        await fixture.WithDbAsync(db => db.InsertAsync(new MeterReadingRecord { MeterId = meterId, ReadAt = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), ConsumptionKWh = 12.345m }));
        html = await GetPageAsync(fixture.Viewer, $"/Meters/{meterId}");
        Assert.Contains("id=\"meter-readings\"", html);
        Assert.Contains("<td>2026-01-05 10:00</td>", TableOf(html, "meter-readings-table"));
        Assert.Contains("12.345", TableOf(html, "meter-readings-table"));
        Assert.Contains("id=\"meter-readings-chart\"", html);

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Viewer.GetAsync("/Meters/987654321")).StatusCode);
    }

    [Fact]
    public async Task Changing_the_tariff_opens_reprices_or_stops_the_access_rate_account_and_keeps_the_debt()
    {
        var (_, meterId) = await fixture.RegisterAsync("Neema", "Tariff" + UniqueLetters(), UniquePhone(), UniqueSerial());
        Assert.Null(await AccountAsync(meterId));

        // To a tariff with an access rate: an account as at registration.
        var before = Today();
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeTariffAsync(meterId, fixture.AccessTariffId)).StatusCode);
        var opened = await AccountAsync(meterId);
        Assert.Equal((500m, 7, 0m), (opened!.Amount, opened.PeriodDays, opened.Debt));
        Assert.Contains(opened.NextDue, new[] { before.AddDays(7), Today().AddDays(7) });
        Assert.Equal(fixture.AccessTariffId, await TariffOfAsync(meterId));
        Assert.Equal(1, await fixture.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == "meter.tariff-changed" && a.Actor == ManagerEmail && a.Details.EndsWith("tariff Household → Business weekly"))));

        // To a tariff without one: the debt stays owed, nothing more is charged.
        await fixture.WithDbAsync(db => db.AccessRateAccounts.Where(a => a.MeterId == meterId).Set(a => a.Debt, 1500m).UpdateAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeTariffAsync(meterId, fixture.PlainTariffId)).StatusCode);
        var stopped = await AccountAsync(meterId);
        Assert.Equal((0m, 1500m), (stopped!.Amount, stopped.Debt));
        var html = Decode(await GetPageAsync(fixture.Viewer, $"/Meters/{meterId}"));
        Assert.Contains("id=\"access-rate-debt\">1,500.00 TZS<", html);
        Assert.Contains("the tariff has no access rate; the debt is still owed", html);

        // Back to an access rate: charged again, the debt still there.
        var weekly2 = await fixture.WithDbAsync(db => db.InsertWithInt64IdentityAsync(new TariffRecord
        {
            Name = "Fortnight " + UniqueLetters(), PricePerKWh = 400m, AccessRateAmount = 800m, AccessRatePeriodDays = 14, CreatedAt = DateTimeOffset.UtcNow,
        }));
        before = Today();
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeTariffAsync(meterId, weekly2)).StatusCode);
        var restarted = await AccountAsync(meterId);
        Assert.Equal((800m, 14, 1500m), (restarted!.Amount, restarted.PeriodDays, restarted.Debt));
        Assert.Contains(restarted.NextDue, new[] { before.AddDays(14), Today().AddDays(14) });

        // Between two tariffs with access rates: re-priced, the due date kept.
        await fixture.WithDbAsync(db => db.AccessRateAccounts.Where(a => a.MeterId == meterId).Set(a => a.NextDue, new DateOnly(2030, 5, 5)).UpdateAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeTariffAsync(meterId, fixture.AccessTariffId)).StatusCode);
        var repriced = await AccountAsync(meterId);
        Assert.Equal((500m, 7, 1500m, new DateOnly(2030, 5, 5)), (repriced!.Amount, repriced.PeriodDays, repriced.Debt, repriced.NextDue));
    }

    [Fact]
    public async Task An_unknown_tariff_is_refused_and_nothing_changes()
    {
        var (_, meterId) = await fixture.RegisterAsync("Neema", "Unknown" + UniqueLetters(), UniquePhone(), UniqueSerial());

        var response = await ChangeTariffAsync(meterId, 999999);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("tariff 999999 does not exist", await response.Content.ReadAsStringAsync());
        Assert.Equal(fixture.PlainTariffId, await TariffOfAsync(meterId));
        Assert.Null(await AccountAsync(meterId));
    }

    [Fact]
    public async Task A_manager_marks_a_meter_not_in_use_and_back()
    {
        var serial = UniqueSerial();
        var (customerId, meterId) = await fixture.RegisterAsync("Neema", "Use" + UniqueLetters(), UniquePhone(), serial);

        Assert.Equal(HttpStatusCode.Redirect, (await SetInUseAsync(fixture.Manager, meterId, false)).StatusCode);
        Assert.False(await InUseAsync(meterId));
        Assert.Contains("id=\"meter-status\">not in use<", await GetPageAsync(fixture.Viewer, $"/Meters/{meterId}"));
        Assert.Contains("not in use", TableOf(await GetPageAsync(fixture.Viewer, $"/Customers/{customerId}"), "customer-meters-table"));

        Assert.Equal(HttpStatusCode.Redirect, (await SetInUseAsync(fixture.Manager, meterId, true)).StatusCode);
        Assert.True(await InUseAsync(meterId));
        Assert.Equal(
            [$"meter {serial} marked not in use", $"meter {serial} back in use"],
            await fixture.WithDbAsync(db => db.AuditLog.Where(a => a.Action == "meter.in-use" && a.Actor == ManagerEmail && a.Details.StartsWith($"meter {serial} ")).OrderBy(a => a.Id).Select(a => a.Details).ToListAsync()));
    }

    [Fact]
    public async Task A_viewer_cannot_change_a_meter()
    {
        var (_, meterId) = await fixture.RegisterAsync("Neema", "Viewer" + UniqueLetters(), UniquePhone(), UniqueSerial());

        Assert.Equal(HttpStatusCode.Forbidden, (await SetInUseAsync(fixture.Viewer, meterId, false)).StatusCode);
        var response = await MpmWebFactory.PostFormAsync(fixture.Viewer, $"/Meters/{meterId}?handler=Tariff", new() { ["tariffId"] = fixture.AccessTariffId.ToString(CultureInfo.InvariantCulture) }, $"/Meters/{meterId}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        Assert.True(await InUseAsync(meterId));
        Assert.Equal(fixture.PlainTariffId, await TariffOfAsync(meterId));
    }

    private static DateOnly Today() => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    private Task<HttpResponseMessage> ChangeTariffAsync(long meterId, long tariffId) =>
        MpmWebFactory.PostFormAsync(fixture.Manager, $"/Meters/{meterId}?handler=Tariff", new() { ["tariffId"] = tariffId.ToString(CultureInfo.InvariantCulture) }, $"/Meters/{meterId}");

    private static Task<HttpResponseMessage> SetInUseAsync(HttpClient client, long meterId, bool inUse) =>
        MpmWebFactory.PostFormAsync(client, $"/Meters/{meterId}?handler=InUse", new() { ["inUse"] = inUse ? "true" : "false" }, $"/Meters/{meterId}");

    private Task<AccessRateAccountRecord?> AccountAsync(long meterId) =>
        fixture.WithDbAsync(db => db.AccessRateAccounts.FirstOrDefaultAsync(a => a.MeterId == meterId));

    private Task<long> TariffOfAsync(long meterId) => fixture.WithDbAsync(db => db.Meters.Where(m => m.Id == meterId).Select(m => m.TariffId).FirstAsync());

    private Task<bool> InUseAsync(long meterId) => fixture.WithDbAsync(db => db.Meters.Where(m => m.Id == meterId).Select(m => m.InUse).FirstAsync());
}
