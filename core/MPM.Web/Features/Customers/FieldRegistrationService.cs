using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Registration;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Operator;
using MPM.Web.Security;

namespace MPM.Web.Features.Customers;

/// <summary>The SDK's field registration over the platform's catalogue and its one atomic <see cref="Registration"/>.</summary>
public sealed class FieldRegistrationService(MpmDb db, Registration registration, TariffCatalog tariffs, OperatorProfile profile, AuditLog audit) : IFieldRegistration
{
    public async Task<FieldCatalog> CatalogAsync(CancellationToken cancellationToken = default) => new(
        (await profile.GetAsync(cancellationToken)).Currency,
        await db.Manufacturers.OrderBy(m => m.Name).Select(m => new FieldItem(m.Id, m.Name)).ToListAsync(cancellationToken),
        await db.MeterTypes.OrderBy(t => t.Name).Select(t => new FieldMeterType(t.Id, t.Name, t.Online, t.Phase, t.MaxCurrent)).ToListAsync(cancellationToken),
        (await tariffs.ListAsync(cancellationToken)).Select(t => new FieldTariff(t.Id, t.Name, t.TotalPricePerKWh)).ToList(),
        await (from v in db.Villages join g in db.MiniGrids on v.MiniGridId equals g.Id orderby v.Name, g.Name select new FieldVillage(v.Id, v.Name, g.Name)).ToListAsync(cancellationToken),
        await db.ConnectionTypes.OrderBy(t => t.Name).Select(t => new FieldItem(t.Id, t.Name)).ToListAsync(cancellationToken),
        await db.ConnectionGroups.OrderBy(g => g.Name).Select(g => new FieldItem(g.Id, g.Name)).ToListAsync(cancellationToken));

    public async Task<FieldPeople> PeopleAsync(int page, int pageSize, CancellationToken cancellationToken = default) => new(
        await db.Customers.CountAsync(cancellationToken),
        await db.Customers.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Skip((Math.Clamp(page, 1, int.MaxValue / pageSize) - 1) * pageSize).Take(pageSize)
            .Select(c => new FieldPerson(c.Id, c.Name, c.Surname, c.Phone)).ToListAsync(cancellationToken));

    public async Task<FieldRegistrationResult> RegisterAsync(FieldRegistration input, string actor, CancellationToken cancellationToken = default)
    {
        var serial = input.SerialNumber?.Trim();
        if (!string.IsNullOrEmpty(serial) && await SameRegistrationAsync(serial, input.Phone?.Trim(), cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var result = await registration.RegisterAsync(new RegistrationRequest(
            new CustomerInput(input.Name, input.Surname, input.Phone, null, null),
            new AddressInput(input.VillageId, null, input.Latitude, input.Longitude),
            new MeterInput(input.SerialNumber, input.ManufacturerId, input.TariffId, input.ConnectionTypeId, input.ConnectionGroupId, input.MeterTypeId)), cancellationToken);
        if (result is { CustomerId: { } customerId, MeterId: { } meterId })
        {
            await audit.WriteAsync(actor, "registration.create", $"customer {customerId} with meter {meterId} ({serial}) from the field", cancellationToken);
            return new FieldRegistrationResult(customerId, meterId, false, new Dictionary<string, string>());
        }

        if (result.Conflict is not null && await SameRegistrationAsync(serial!, input.Phone?.Trim(), cancellationToken) is { } concurrent)
        {
            return concurrent;
        }

        // Registration names fields by their JSON path ("meter.serialNumber"); a field client knows the leaf.
        var errors = result.Errors.ToDictionary(e => e.Key[(e.Key.LastIndexOf('.') + 1)..], e => e.Value);
        if (result.Conflict is { } conflict)
        {
            errors["serialNumber"] = $"{conflict}, to another customer";
        }

        return new FieldRegistrationResult(null, null, false, errors);
    }

    /// <summary>The meter with this serial when its customer has this phone: a repeated upload of the same registration.</summary>
    private async Task<FieldRegistrationResult?> SameRegistrationAsync(string serial, string? phone, CancellationToken cancellationToken)
    {
        var earlier = await (from m in db.Meters join c in db.Customers on m.CustomerId equals c.Id where m.SerialNumber == serial select new { MeterId = m.Id, CustomerId = c.Id, c.Phone })
            .FirstOrDefaultAsync(cancellationToken);
        return earlier is not null && earlier.Phone == phone ? new FieldRegistrationResult(earlier.CustomerId, earlier.MeterId, true, new Dictionary<string, string>()) : null;
    }
}
