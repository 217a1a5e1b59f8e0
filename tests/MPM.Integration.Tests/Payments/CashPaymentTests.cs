using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Payments;

/// <summary>Cash recorded on the meter page runs the same pipeline; the meter page then shows the payment and the revenue.</summary>
public sealed class CashPaymentTests : IAsyncLifetime
{
    private PipelineWorld _world = null!;

    public async Task InitializeAsync() => _world = await PipelineWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_manager_records_cash_which_is_confirmed_and_shown_on_the_meter_page()
    {
        var (_, meterId, customerId) = await _world.MeterAsync(await _world.TariffAsync(500));
        await _world.Factory.AddUserAsync("manager@example.com", "manager-password", "manager");
        var manager = await _world.Factory.LoginAsync("manager@example.com", "manager-password");

        var response = await MpmWebFactory.PostFormAsync(manager, $"/Meters/{meterId}?handler=Cash", new() { ["amount"] = "2500" }, $"/Meters/{meterId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Transactions/", response.Headers.Location!.OriginalString);
        var transactionId = long.Parse(response.Headers.Location.OriginalString["/Transactions/".Length..]);
        var payment = await _world.FinishedAsync(transactionId);
        Assert.Equal((TransactionStatus.Confirmed, "cash", 5.0m), (payment.Status, payment.Provider, payment.EnergyKWh));
        var page = await manager.GetStringAsync($"/Meters/{meterId}");
        Assert.Contains("2,500.00", page);
        Assert.Contains($"/Transactions/{transactionId}", page);
        var customerPage = await manager.GetStringAsync($"/Customers/{customerId}");
        Assert.Contains("id=\"payments-table\"", customerPage);
        Assert.Contains("id=\"payment-flow-chart\"", customerPage);
        Assert.Matches("<th>energy</th><td class=\"text-end\">2,500.00", customerPage);
    }

    [Fact]
    public async Task A_bad_amount_is_refused_and_a_viewer_cannot_record_cash()
    {
        var (_, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500));
        await _world.Factory.AddUserAsync("manager@example.com", "manager-password", "manager");
        await _world.Factory.AddUserAsync("viewer@example.com", "viewer-password", "viewer");
        var manager = await _world.Factory.LoginAsync("manager@example.com", "manager-password");
        var viewer = await _world.Factory.LoginAsync("viewer@example.com", "viewer-password");

        var bad = await MpmWebFactory.PostFormAsync(manager, $"/Meters/{meterId}?handler=Cash", new() { ["amount"] = "0" }, $"/Meters/{meterId}");
        var refused = await MpmWebFactory.PostFormAsync(viewer, $"/Meters/{meterId}?handler=Cash", new() { ["amount"] = "1000" }, $"/Meters/{meterId}");

        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("more than 0", await bad.Content.ReadAsStringAsync());
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"viewer got {(int)refused.StatusCode}");
        Assert.Equal(0, await _world.QueryAsync(db => db.Transactions.CountAsync(t => t.MeterId == meterId)));
    }
}
