using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Customers;

/// <param name="Phone">Empty means the customer's own phone.</param>
public sealed record NewAddress(long? VillageId, string? Street, string? Phone, decimal? Latitude, decimal? Longitude, bool Primary);

public sealed record VillageOption(long Id, string Name, string MiniGrid);

/// <summary>
/// A customer's addresses. Exactly one is primary — its phone is where SMS go — so making one primary unsets the other
/// in the same transaction.
/// </summary>
public sealed class AddressBook(MpmDb db, AuditLog audit, TimeProvider clock)
{
    public const int MaxStreetLength = 200;

    public Task<List<VillageOption>> VillagesAsync(CancellationToken cancellationToken = default) =>
        (from v in db.Villages
         join g in db.MiniGrids on v.MiniGridId equals g.Id
         orderby v.Name, g.Name
         select new VillageOption(v.Id, v.Name, g.Name))
        .ToListAsync(cancellationToken);

    public async Task<ChangeResult> AddAsync(long customerId, NewAddress input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        if (input.VillageId is null)
        {
            errors["address.villageId"] = "village is required";
        }

        if (input.Street?.Trim().Length > MaxStreetLength)
        {
            errors["address.street"] = $"street must have at most {MaxStreetLength} characters";
        }

        if (!string.IsNullOrWhiteSpace(input.Phone) && Registration.PhoneProblem(input.Phone) is { } phone)
        {
            errors["address.phone"] = phone;
        }

        Registration.CoordinateProblems(errors, "address", input.Latitude, input.Longitude);
        if (errors.Count > 0)
        {
            return new ChangeResult(errors);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var customer = await CustomerProfile.LockAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return ChangeResult.Missing;
        }

        var village = await db.Villages.FirstOrDefaultAsync(v => v.Id == input.VillageId, cancellationToken);
        if (village is null)
        {
            errors["address.villageId"] = $"village {input.VillageId} does not exist";
            return new ChangeResult(errors);
        }

        var primary = input.Primary || !await db.Addresses.AnyAsync(a => a.CustomerId == customerId && a.IsPrimary, cancellationToken);
        if (primary)
        {
            await UnsetPrimaryAsync(customerId, cancellationToken);
        }

        await db.InsertAsync(new AddressRecord
        {
            CustomerId = customerId,
            VillageId = village.Id,
            Street = string.IsNullOrWhiteSpace(input.Street) ? null : input.Street.Trim(),
            Phone = string.IsNullOrWhiteSpace(input.Phone) ? customer.Phone : input.Phone.Trim(),
            Latitude = input.Latitude,
            Longitude = input.Longitude,
            IsPrimary = primary,
            CreatedAt = clock.GetUtcNow(),
        }, token: cancellationToken);
        await CustomerSearchText.RefreshAsync(db, customerId, cancellationToken);
        await audit.WriteAsync(actor, "customer.address-added", $"customer {customerId}: address in {village.Name}{(primary ? ", primary" : "")}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult.Done;
    }

    public async Task<ChangeResult> MakePrimaryAsync(long customerId, long addressId, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        if (await CustomerProfile.LockAsync(db, customerId, cancellationToken) is null
            || !await db.Addresses.AnyAsync(a => a.Id == addressId && a.CustomerId == customerId, cancellationToken))
        {
            return ChangeResult.Missing;
        }

        await UnsetPrimaryAsync(customerId, cancellationToken);
        await db.Addresses.Where(a => a.Id == addressId).Set(a => a.IsPrimary, true).UpdateAsync(cancellationToken);
        await audit.WriteAsync(actor, "customer.primary-address", $"customer {customerId}: address {addressId} is primary", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult.Done;
    }

    private Task<int> UnsetPrimaryAsync(long customerId, CancellationToken cancellationToken) =>
        db.Addresses.Where(a => a.CustomerId == customerId && a.IsPrimary).Set(a => a.IsPrimary, false).UpdateAsync(cancellationToken);
}
