using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using TariffRules = MPM.Core.Domain.Tariffs;

namespace MPM.Web.Features.Meters;

public sealed record MeterOwner(long Id, string Name, string Surname, string Phone);

public sealed record MeterTariff(long Id, string Name, decimal PricePerKWh, decimal TotalPricePerKWh);

public sealed record MeterManufacturer(long Id, string Name, string TokenGenerator);

/// <summary>A village, connection type or connection group the meter belongs to.</summary>
public sealed record MeterGroup(long Id, string Name);

public sealed record MeterAccessRate(decimal Amount, int PeriodDays, DateOnly NextDue, decimal Debt);

/// <param name="AccessRate">Null when the meter's tariff had no access rate at registration.</param>
public sealed record MeterSummary(
    long Id,
    string SerialNumber,
    bool InUse,
    DateTimeOffset RegisteredAt,
    decimal? Latitude,
    decimal? Longitude,
    MeterOwner Owner,
    MeterTariff Tariff,
    MeterManufacturer Manufacturer,
    MeterGroup Village,
    MeterGroup? ConnectionType,
    MeterGroup? ConnectionGroup,
    MeterAccessRate? AccessRate);

/// <summary>One meter with its owner, tariff, manufacturer, place and access-rate account.</summary>
public sealed class MeterSummaries(MpmDb db)
{
    public async Task<MeterSummary?> FindBySerialAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        var serial = serialNumber.Trim();
        var found = await (
                from m in db.Meters
                join c in db.Customers on m.CustomerId equals c.Id
                join t in db.Tariffs on m.TariffId equals t.Id
                join f in db.Manufacturers on m.ManufacturerId equals f.Id
                join v in db.Villages on m.VillageId equals v.Id
                from type in db.ConnectionTypes.Where(x => x.Id == m.ConnectionTypeId).DefaultIfEmpty()
                from grp in db.ConnectionGroups.Where(x => x.Id == m.ConnectionGroupId).DefaultIfEmpty()
                from account in db.AccessRateAccounts.Where(a => a.MeterId == m.Id).DefaultIfEmpty()
                where m.SerialNumber == serial
                select new { m, c, t, f, v, type, grp, account })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var components = await db.TariffComponents.Where(x => x.TariffId == found.t.Id).Select(x => x.PricePerKWh).ToListAsync(cancellationToken);
        return new MeterSummary(
            found.m.Id,
            found.m.SerialNumber,
            found.m.InUse,
            found.m.RegisteredAt,
            found.m.Latitude,
            found.m.Longitude,
            new MeterOwner(found.c.Id, found.c.Name, found.c.Surname, found.c.Phone),
            new MeterTariff(found.t.Id, found.t.Name, found.t.PricePerKWh, TariffRules.TotalPricePerKWh(found.t.PricePerKWh, components)),
            new MeterManufacturer(found.f.Id, found.f.Name, found.f.TokenGenerator),
            new MeterGroup(found.v.Id, found.v.Name),
            found.type is null ? null : new MeterGroup(found.type.Id, found.type.Name),
            found.grp is null ? null : new MeterGroup(found.grp.Id, found.grp.Name),
            found.account is null ? null : new MeterAccessRate(found.account.Amount, found.account.PeriodDays, found.account.NextDue, found.account.Debt));
    }
}
