using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Features.Customers;

public sealed record CustomerRow(long Id, string Name, string Surname, string Phone, string? City, string? MeterSerials);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public enum CustomerSort
{
    Name,
    Newest,
    Phone,
}

/// <summary>The customer list: one search box over name, surname, phone, city and meter serial; paged on the server.</summary>
public sealed class CustomerDirectory(MpmDb db)
{
    public const int MaxPageSize = 100;

    /// <summary>Beyond it, the rows to skip would not fit an int.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public async Task<Paged<CustomerRow>> SearchAsync(string? search, int page, int pageSize, CustomerSort sort, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, MaxPage);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var query = db.Customers.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Contains becomes a parameterised LIKE with escaped wildcards: the trigram index serves it. The matches are
            // found first, then sorted (a materialized CTE): the matches of a name search sit together in name order, and a
            // plan that walks the name index filtering as it goes reads half the table to find them.
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(c => c.SearchText.Contains(term)).AsCte(cte => cte.IsMaterialized(true));
        }

        var total = await query.CountAsync(cancellationToken);
        var ordered = sort switch
        {
            CustomerSort.Newest => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
            CustomerSort.Phone => query.OrderBy(c => c.Phone).ThenBy(c => c.Id),
            _ => query.OrderBy(c => c.Surname).ThenBy(c => c.Name).ThenBy(c => c.Id),
        };
        var rows = await ordered.Skip((page - 1) * pageSize).Take(pageSize).Select(c => new { c.Id, c.Name, c.Surname, c.Phone }).ToListAsync(cancellationToken);

        // City and serials for the page's customers only, in queries of their own: as subqueries of the one above they
        // would run for every row the page skips too.
        var ids = rows.Select(r => r.Id).ToList();
        var cities = await (
                from a in db.Addresses
                join v in db.Villages on a.VillageId equals v.Id
                where a.IsPrimary && ids.Contains(a.CustomerId)
                select new { a.CustomerId, v.Name })
            .ToDictionaryAsync(a => a.CustomerId, a => a.Name, cancellationToken);
        var serials = (await db.Meters.Where(m => ids.Contains(m.CustomerId)).OrderBy(m => m.SerialNumber).Select(m => new { m.CustomerId, m.SerialNumber }).ToListAsync(cancellationToken))
            .ToLookup(m => m.CustomerId, m => m.SerialNumber);
        var items = rows.Select(r => new CustomerRow(
                r.Id, r.Name, r.Surname, r.Phone, cities.GetValueOrDefault(r.Id), serials.Contains(r.Id) ? string.Join(", ", serials[r.Id]) : null))
            .ToList();
        return new Paged<CustomerRow>(items, page, pageSize, total);
    }
}
