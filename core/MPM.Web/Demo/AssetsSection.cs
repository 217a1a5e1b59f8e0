using LinqToDB;
using MPM.Core.Domain;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>Asset types with their prices (TZS) and assets sold to some customers on rate plans (nothing paid yet).</summary>
public sealed class AssetsSection(MpmDb db) : IDemoSection
{
    private static readonly (string Name, decimal Price)[] Types =
    [
        ("Water pump", 1_200_000m),
        ("Milling machine", 3_500_000m),
        ("Solar fridge", 1_600_000m),
        ("Electric sewing machine", 450_000m),
        ("Welding machine", 2_200_000m),
        ("Television set", 380_000m),
    ];

    /// <summary>Per connection type: the share of its customers who bought an asset, and what they buy.</summary>
    private static readonly Dictionary<string, (double Share, string[] Assets)> Buyers = new()
    {
        [CustomerGroupsSection.Residential] = (0.04, ["Television set", "Solar fridge"]),
        [CustomerGroupsSection.Commercial] = (0.20, ["Solar fridge", "Television set", "Electric sewing machine"]),
        [CustomerGroupsSection.ProductiveUse] = (0.50, ["Milling machine", "Water pump", "Welding machine", "Electric sewing machine"]),
        [CustomerGroupsSection.Institution] = (0.15, ["Water pump", "Solar fridge"]),
    };

    public sealed record Sale(AssetSaleRecord Record, IReadOnlyList<ScheduledRate> Rates);

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var types = new Dictionary<string, AssetTypeRecord>();
        foreach (var (name, price) in Types)
        {
            var type = new AssetTypeRecord { Name = name, Price = price };
            type.Id = await db.InsertWithInt64IdentityAsync(type, token: cancellationToken);
            types[name] = type;
        }

        var sales = Generate(context, types);
        var saleId = await DemoBulk.ReserveIdsAsync(db, "mpm.asset_sales", sales.Count, cancellationToken);
        var rateId = await DemoBulk.ReserveIdsAsync(db, "mpm.asset_rates", sales.Sum(s => s.Rates.Count), cancellationToken);
        var rates = new List<AssetRateRecord>();
        foreach (var sale in sales)
        {
            sale.Record.Id = saleId++;
            rates.AddRange(sale.Rates.Select(r => new AssetRateRecord { Id = rateId++, AssetSaleId = sale.Record.Id, Number = r.Number, DueDate = r.DueDate, Amount = r.Amount }));
        }

        await DemoBulk.CopyAsync(db, sales.Select(s => s.Record), cancellationToken);
        await DemoBulk.CopyAsync(db, rates, cancellationToken);
        context.AssetSales = sales.Count;
        context.AssetRates = rates.Count;
    }

    /// <summary>
    /// Sales to the context's customers, sometime between their registration and now: up to 30 % down, the rest in
    /// weekly rates for the cheaper assets and monthly ones for the dear, starting one period after the sale.
    /// </summary>
    public static IReadOnlyList<Sale> Generate(DemoContext context, IReadOnlyDictionary<string, AssetTypeRecord> types)
    {
        var random = context.Random;
        var sales = new List<Sale>();
        foreach (var customer in context.Customers)
        {
            var (share, assets) = Buyers[customer.Segment.Type.Name];
            if (random.NextDouble() >= share)
            {
                continue;
            }

            var type = types[context.Pick(assets)];
            var soldAt = context.Between(customer.Customer.CreatedAt, context.Now);
            var soldOn = DateOnly.FromDateTime(soldAt.UtcDateTime);
            var monthly = type.Price > 500_000m;
            var period = monthly ? RatePeriod.Monthly : RatePeriod.Weekly;
            var rateCount = monthly ? random.Next(6, 25) : random.Next(8, 27);
            var downPayment = Math.Round(type.Price * context.Pick<decimal>([0m, 0.1m, 0.2m, 0.3m]) / 1000m) * 1000m;
            var firstPayment = monthly ? soldOn.AddMonths(1) : soldOn.AddDays(7);
            sales.Add(new Sale(
                new AssetSaleRecord
                {
                    CustomerId = customer.Customer.Id,
                    AssetTypeId = type.Id,
                    TotalCost = type.Price,
                    DownPayment = downPayment,
                    RateCount = rateCount,
                    RatePeriod = AssetSchedule.Name(period),
                    FirstPaymentDate = firstPayment,
                    SoldAt = soldAt,
                },
                AssetSchedule.Build(type.Price, downPayment, rateCount, period, firstPayment)));
        }

        return sales;
    }
}
