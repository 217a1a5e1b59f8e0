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

    public async Task<Paged<CustomerRow>> SearchAsync(string? search, int page, int pageSize, CustomerSort sort, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var query = db.Customers.AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Contains becomes a parameterised LIKE with escaped wildcards: the trigram index serves it.
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(c => c.SearchText.Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var ordered = sort switch
        {
            CustomerSort.Newest => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
            CustomerSort.Phone => query.OrderBy(c => c.Phone).ThenBy(c => c.Id),
            _ => query.OrderBy(c => c.Surname).ThenBy(c => c.Name).ThenBy(c => c.Id),
        };
        var items = await ordered.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CustomerRow(
                c.Id, c.Name, c.Surname, c.Phone,
                (from a in db.Addresses join v in db.Villages on a.VillageId equals v.Id where a.CustomerId == c.Id && a.IsPrimary select v.Name).FirstOrDefault(),
                // Grouped, so that the customer goes into the subquery's WHERE (the meters_customer index); the plain
                // Sql.StringAggregate form becomes an aggregate FILTER over every meter, once per row of the page.
                (from m in db.Meters where m.CustomerId == c.Id group m by m.CustomerId into g select g.StringAggregate(", ", m => m.SerialNumber).ToValue()).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new Paged<CustomerRow>(items, page, pageSize, total);
    }
}
