using LinqToDB;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>
/// Prices in TZS per kWh: a household tariff with a weekly access rate, a business tariff with levies as named components,
/// a productive-use tariff with a minimum purchase and an institution tariff with a monthly access rate.
/// </summary>
public sealed class TariffsSection(MpmDb db) : IDemoSection
{
    public const string Household = "Household";
    public const string Business = "Business";
    public const string ProductiveUse = "Productive use";
    public const string Institution = "Institution";

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var created = context.Start.AddMonths(-1);
        TariffRecord[] tariffs =
        [
            new() { Name = Household, PricePerKWh = 1000m, AccessRateAmount = 1000m, AccessRatePeriodDays = 7, CreatedAt = created },
            new() { Name = Business, PricePerKWh = 900m, CreatedAt = created },
            new() { Name = ProductiveUse, PricePerKWh = 600m, MinimumPurchase = 5000m, CreatedAt = created },
            new() { Name = Institution, PricePerKWh = 750m, AccessRateAmount = 5000m, AccessRatePeriodDays = 30, CreatedAt = created },
        ];
        foreach (var tariff in tariffs)
        {
            tariff.Id = await db.InsertWithInt64IdentityAsync(tariff, token: cancellationToken);
            context.Tariffs[tariff.Name] = tariff;
        }

        await db.InsertAsync(new TariffComponentRecord { TariffId = context.Tariffs[Business].Id, Name = "REA levy", PricePerKWh = 30m }, token: cancellationToken);
        await db.InsertAsync(new TariffComponentRecord { TariffId = context.Tariffs[Business].Id, Name = "EWURA fee", PricePerKWh = 10m }, token: cancellationToken);
    }
}
