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
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, CustomerDirectory.MaxPageSize);
        var query =
            from m in db.Meters
            join c in db.Customers on m.CustomerId equals c.Id
            join t in db.Tariffs on m.TariffId equals t.Id
            join f in db.Manufacturers on m.ManufacturerId equals f.Id
            join v in db.Villages on m.VillageId equals v.Id
            select new { m, c, t, f, v };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(x => x.m.SerialNumber.ToLower().Contains(term) || x.t.Name.ToLower().Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(x => x.m.SerialNumber).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new MeterRow(x.m.Id, x.m.SerialNumber, x.c.Id, x.c.Name + " " + x.c.Surname, x.t.Name, x.f.Name, x.v.Name, x.m.InUse))
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
