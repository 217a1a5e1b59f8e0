using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Meters;
using MPM.Web.Features.Customers;

namespace MPM.Web.Features.Meters;

public sealed record MeterRow(long Id, string SerialNumber, long CustomerId, string CustomerName, string Tariff, string Manufacturer, string Village, bool InUse);

/// <summary>The meter list, searchable by serial number and tariff name; and the SDK's meter look-up.</summary>
public sealed class MeterDirectory(MpmDb db) : IMeterLookup
{
    public async Task<Paged<MeterRow>> SearchAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, CustomerDirectory.MaxPage);
        pageSize = Math.Clamp(pageSize, 1, CustomerDirectory.MaxPageSize);
        var meters = db.Meters.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Tariffs are few: their ids first, so that both conditions are index look-ups PostgreSQL can OR together
            // (trigram on the serial, tariff_id). The matches are found first, then sorted: see CustomerDirectory.
            var term = search.Trim();
            var tariffIds = await db.Tariffs.Where(t => t.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(t => t.Id).ToListAsync(cancellationToken);
            meters = meters.Where(m => m.SerialNumber.Contains(term, StringComparison.OrdinalIgnoreCase) || tariffIds.Contains(m.TariffId))
                .AsCte(cte => cte.IsMaterialized(true));
        }

        var total = await meters.CountAsync(cancellationToken);
        // The page of meters first, then what is joined to its rows: joined first, every match would be.
        var pageOfMeters = meters.OrderBy(m => m.SerialNumber).Skip((page - 1) * pageSize).Take(pageSize);
        var items = await (
                from m in pageOfMeters
                join c in db.Customers on m.CustomerId equals c.Id
                join t in db.Tariffs on m.TariffId equals t.Id
                join f in db.Manufacturers on m.ManufacturerId equals f.Id
                join v in db.Villages on m.VillageId equals v.Id
                orderby m.SerialNumber
                select new MeterRow(m.Id, m.SerialNumber, c.Id, c.Name + " " + c.Surname, t.Name, f.Name, v.Name, m.InUse))
            .ToListAsync(cancellationToken);
        return new Paged<MeterRow>(items, page, pageSize, total);
    }

    public Task<MeterInfo?> FindBySerialAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        var serial = serialNumber.Trim();
        return (from m in db.Meters
                join c in db.Customers on m.CustomerId equals c.Id
                join f in db.Manufacturers on m.ManufacturerId equals f.Id
                where m.SerialNumber == serial
                select new MeterInfo(m.Id, m.SerialNumber, m.InUse, f.Id, f.Name, f.TokenGenerator, c.Id, c.Name + " " + c.Surname, c.Phone))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
