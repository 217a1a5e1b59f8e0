using LinqToDB;
using LinqToDB.Async;
using LinqToDB.DataProvider.PostgreSQL;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Customers;

public sealed record CustomerAddress(long Id, string Village, string MiniGrid, string? Street, string? Phone, decimal? Latitude, decimal? Longitude, bool IsPrimary);

/// <param name="Latitude">Where the map shows the meter: its own coordinates, else its owner's primary address's, else its village's.</param>
/// <param name="Longitude">Goes with <paramref name="Latitude"/>.</param>
public sealed record CustomerMeter(
    long Id, string SerialNumber, string Tariff, string Manufacturer, string Village, bool InUse, decimal Latitude, decimal Longitude, AccessRateAccountRecord? AccessRate);

public sealed record CustomerProfileView(CustomerRecord Customer, string? ConnectionType, string Currency, IReadOnlyList<CustomerAddress> Addresses, IReadOnlyList<CustomerMeter> Meters);

/// <summary>A customer's details page: who they are, where they live, their meters; and the edit of their basic details.</summary>
public sealed class CustomerProfile(MpmDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<CustomerProfileView?> LoadAsync(long id, CancellationToken cancellationToken = default)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var connectionType = await db.ConnectionTypes.Where(t => t.Id == customer.ConnectionTypeId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        var addresses = await (
                from a in db.Addresses
                join v in db.Villages on a.VillageId equals v.Id
                join g in db.MiniGrids on v.MiniGridId equals g.Id
                where a.CustomerId == id
                orderby a.IsPrimary descending, a.Id
                select new CustomerAddress(a.Id, v.Name, g.Name, a.Street, a.Phone, a.Latitude, a.Longitude, a.IsPrimary))
            .ToListAsync(cancellationToken);
        var rows = await (
                from m in db.Meters
                join t in db.Tariffs on m.TariffId equals t.Id
                join f in db.Manufacturers on m.ManufacturerId equals f.Id
                join v in db.Villages on m.VillageId equals v.Id
                from account in db.AccessRateAccounts.Where(x => x.MeterId == m.Id).DefaultIfEmpty()
                where m.CustomerId == id
                orderby m.SerialNumber
                select new { Meter = m, Tariff = t.Name, Manufacturer = f.Name, Village = v, Account = account })
            .ToListAsync(cancellationToken);

        var home = addresses.FirstOrDefault(a => a is { IsPrimary: true, Latitude: not null, Longitude: not null });
        var meters = rows.Select(r =>
        {
            var (latitude, longitude) =
                r.Meter is { Latitude: { } lat, Longitude: { } lng } ? (lat, lng)
                : home is not null ? (home.Latitude!.Value, home.Longitude!.Value)
                : (r.Village.Latitude, r.Village.Longitude);
            return new CustomerMeter(r.Meter.Id, r.Meter.SerialNumber, r.Tariff, r.Manufacturer, r.Village.Name, r.Meter.InUse, latitude, longitude, r.Account);
        }).ToList();
        return new CustomerProfileView(customer, connectionType, await OperatorCurrency.GetAsync(db, cancellationToken), addresses, meters);
    }

    /// <summary>Name, surname, birth date, gender and phone, validated like a registration; the search text follows.</summary>
    public async Task<ChangeResult> UpdateBasicsAsync(long id, CustomerInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        Registration.NameProblem(errors, "customer.name", input.Name);
        Registration.NameProblem(errors, "customer.surname", input.Surname);
        if (Registration.PhoneProblem(input.Phone) is { } phone)
        {
            errors["customer.phone"] = phone;
        }

        if (input.Gender is not (null or "female" or "male" or "other"))
        {
            errors["customer.gender"] = "gender must be female, male or other";
        }

        if (input.BirthDate > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
        {
            errors["customer.birthDate"] = "birth date cannot be in the future";
        }

        if (errors.Count > 0)
        {
            return new ChangeResult(errors);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var updated = await db.Customers.Where(c => c.Id == id)
            .Set(c => c.Name, input.Name!.Trim())
            .Set(c => c.Surname, input.Surname!.Trim())
            .Set(c => c.Phone, input.Phone!.Trim())
            .Set(c => c.BirthDate, input.BirthDate)
            .Set(c => c.Gender, input.Gender)
            .UpdateAsync(cancellationToken);
        if (updated == 0)
        {
            return ChangeResult.Missing;
        }

        await CustomerSearchText.RefreshAsync(db, id, cancellationToken);
        await audit.WriteAsync(actor, "customer.updated", $"customer {id}: {input.Name.Trim()} {input.Surname.Trim()}, {input.Phone.Trim()}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult.Done;
    }

    /// <summary>
    /// Locks the customer's row for the rest of the transaction, so that changes to their addresses and sales happen one
    /// at a time (e.g. two "make primary" at once cannot both win). Null when there is no such customer.
    /// </summary>
    public static Task<CustomerRecord?> LockAsync(MpmDb db, long id, CancellationToken cancellationToken) =>
        db.Customers.Where(c => c.Id == id).AsPostgreSQL().ForUpdateHint().FirstOrDefaultAsync(cancellationToken);
}
