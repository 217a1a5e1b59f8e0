using System.Globalization;
using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Testing;
using Xunit;
using static MPM.Integration.Tests.CustomerPages.CustomerPagesFixture;

namespace MPM.Integration.Tests.CustomerPages;

public sealed class AssetSaleTests(CustomerPagesFixture fixture) : IClassFixture<CustomerPagesFixture>
{
    [Fact]
    public async Task Selling_a_1000_pump_in_3_monthly_rates_stores_333_333_334_due_a_month_apart()
    {
        var (customerId, _) = await fixture.RegisterAsync("Neema", "Pump" + UniqueLetters(), UniquePhone(), UniqueSerial());

        // No total cost: the asset type's price (1000).
        var response = await SellAsync(customerId, new() { ["Sale.TotalCost"] = "", ["Sale.DownPayment"] = "0", ["Sale.RateCount"] = "3", ["Sale.RatePeriod"] = "monthly", ["Sale.FirstPaymentDate"] = "2026-01-31" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var sale = await fixture.WithDbAsync(db => db.AssetSales.SingleAsync(s => s.CustomerId == customerId));
        Assert.Equal((fixture.PumpTypeId, 1000m, 0m, 3, "monthly", new DateOnly(2026, 1, 31)), (sale.AssetTypeId, sale.TotalCost, sale.DownPayment, sale.RateCount, sale.RatePeriod, sale.FirstPaymentDate));
        var rates = await RatesAsync(sale.Id);
        Assert.Equal(
            [(1, new DateOnly(2026, 1, 31), 333m, 0m), (2, new DateOnly(2026, 2, 28), 333m, 0m), (3, new DateOnly(2026, 3, 31), 334m, 0m)],
            rates);

        var html = Decode(await GetPageAsync(fixture.Viewer, $"/Customers/{customerId}"));
        var section = html[html.IndexOf("id=\"sold-assets\"", StringComparison.Ordinal)..];
        Assert.Contains("Water pump", section);
        Assert.Contains("remaining 1,000.00", section);
        Assert.Contains("<td>2026-02-28</td>", section);
        Assert.Contains("<td class=\"text-end\">334.00</td>", section);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == "asset.sold" && a.Actor == ManagerEmail && a.Details.StartsWith($"customer {customerId}:"))));
    }

    [Fact]
    public async Task A_weekly_sale_takes_the_down_payment_off_first()
    {
        var (customerId, _) = await fixture.RegisterAsync("Neema", "Week" + UniqueLetters(), UniquePhone(), UniqueSerial());

        var response = await SellAsync(customerId, new() { ["Sale.TotalCost"] = "1250.50", ["Sale.DownPayment"] = "250", ["Sale.RateCount"] = "4", ["Sale.RatePeriod"] = "weekly", ["Sale.FirstPaymentDate"] = "2026-03-02" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var sale = await fixture.WithDbAsync(db => db.AssetSales.SingleAsync(s => s.CustomerId == customerId));
        Assert.Equal(
            [(1, new DateOnly(2026, 3, 2), 250m, 0m), (2, new DateOnly(2026, 3, 9), 250m, 0m), (3, new DateOnly(2026, 3, 16), 250m, 0m), (4, new DateOnly(2026, 3, 23), 250.50m, 0m)],
            await RatesAsync(sale.Id));
    }

    [Theory]
    [InlineData("", "1000", "0", "3", "monthly", "2026-01-01", "asset type is required")]
    [InlineData("999999", "1000", "0", "3", "monthly", "2026-01-01", "asset type 999999 does not exist")]
    [InlineData("PUMP", "1000", "1000.01", "3", "monthly", "2026-01-01", "down payment cannot be more than the total cost")]
    [InlineData("PUMP", "", "1500", "3", "monthly", "2026-01-01", "down payment cannot be more than the total cost")]
    [InlineData("PUMP", "0", "0", "3", "monthly", "2026-01-01", "total cost must be more than 0")]
    [InlineData("PUMP", "1000", "-1", "3", "monthly", "2026-01-01", "down payment must be between 0 and")]
    [InlineData("PUMP", "1000.001", "0", "3", "monthly", "2026-01-01", "total cost has at most 2 decimals")]
    [InlineData("PUMP", "1000000000000", "0", "3", "monthly", "2026-01-01", "total cost must be between 0 and")]
    [InlineData("PUMP", "1000", "0", "0", "monthly", "2026-01-01", "number of rates must be between 1 and 520")]
    [InlineData("PUMP", "1000", "0", "", "monthly", "2026-01-01", "number of rates is required")]
    [InlineData("PUMP", "1000", "0", "3", "yearly", "2026-01-01", "rate period must be weekly or monthly")]
    [InlineData("PUMP", "1000", "0", "3", "monthly", "", "first payment date is required")]
    [InlineData("PUMP", "a lot", "0", "3", "monthly", "2026-01-01", "is not valid")]
    public async Task A_bad_sale_is_refused_with_the_reason_and_nothing_is_stored(string type, string total, string down, string count, string period, string first, string error)
    {
        var (customerId, _) = await fixture.RegisterAsync("Neema", "Refused" + UniqueLetters(), UniquePhone(), UniqueSerial());
        var ratesBefore = await fixture.WithDbAsync(db => db.AssetRates.CountAsync());

        var response = await SellAsync(customerId, new()
        {
            ["Sale.AssetTypeId"] = type == "PUMP" ? fixture.PumpTypeId.ToString(CultureInfo.InvariantCulture) : type,
            ["Sale.TotalCost"] = total,
            ["Sale.DownPayment"] = down,
            ["Sale.RateCount"] = count,
            ["Sale.RatePeriod"] = period,
            ["Sale.FirstPaymentDate"] = first,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains(error, html);
        Assert.Contains("pb-3 mb-3 show\" id=\"sale-form\"", html);
        Assert.Equal(0, await fixture.WithDbAsync(db => db.AssetSales.CountAsync(s => s.CustomerId == customerId)));
        Assert.Equal(ratesBefore, await fixture.WithDbAsync(db => db.AssetRates.CountAsync()));
    }

    private Task<HttpResponseMessage> SellAsync(long customerId, Dictionary<string, string> fields)
    {
        fields.TryAdd("Sale.AssetTypeId", fixture.PumpTypeId.ToString(CultureInfo.InvariantCulture));
        return MpmWebFactory.PostFormAsync(fixture.Manager, $"/Customers/{customerId}?handler=Sale", fields, $"/Customers/{customerId}");
    }

    private Task<List<(int, DateOnly, decimal, decimal)>> RatesAsync(long saleId) =>
        fixture.WithDbAsync(async db => (await db.AssetRates.Where(r => r.AssetSaleId == saleId).OrderBy(r => r.Number).ToListAsync())
            .Select(r => (r.Number, r.DueDate, r.Amount, r.Paid)).ToList());
}
