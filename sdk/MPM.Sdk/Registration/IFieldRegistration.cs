namespace MPM.Sdk.Registration;

/// <summary>
/// What field-registration clients (such as a registration app for phones) read and write, with the platform's own
/// registration rules: a customer and their meter are registered together, atomically.
/// </summary>
public interface IFieldRegistration
{
    /// <summary>What a registration can refer to: manufacturers, meter types, tariffs, villages and customer groups.</summary>
    Task<FieldCatalog> CatalogAsync(CancellationToken cancellationToken = default);

    /// <summary>Customers, newest first; <paramref name="page"/> counts from 1.</summary>
    Task<FieldPeople> PeopleAsync(int page, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers the customer with their meter. The same serial number again with the same phone is the same
    /// registration (answered as already registered, nothing created twice); nothing is stored on any error.
    /// </summary>
    /// <param name="actor">Who registers, for the audit trail.</param>
    Task<FieldRegistrationResult> RegisterAsync(FieldRegistration registration, string actor, CancellationToken cancellationToken = default);
}

public sealed record FieldCatalog(
    string Currency,
    IReadOnlyList<FieldItem> Manufacturers,
    IReadOnlyList<FieldMeterType> MeterTypes,
    IReadOnlyList<FieldTariff> Tariffs,
    IReadOnlyList<FieldVillage> Villages,
    IReadOnlyList<FieldItem> ConnectionTypes,
    IReadOnlyList<FieldItem> ConnectionGroups);

public sealed record FieldItem(long Id, string Name);

public sealed record FieldMeterType(long Id, string Name, bool Online, int Phase, int MaxCurrent);

/// <param name="PricePerKWh">With the tariff's components, as the tariff list shows it.</param>
public sealed record FieldTariff(long Id, string Name, decimal PricePerKWh);

public sealed record FieldVillage(long Id, string Name, string MiniGrid);

public sealed record FieldPeople(int Total, IReadOnlyList<FieldPerson> Items);

public sealed record FieldPerson(long Id, string Name, string Surname, string Phone);

public sealed record FieldRegistration(
    string? Name,
    string? Surname,
    string? Phone,
    string? SerialNumber,
    long? ManufacturerId,
    long? MeterTypeId,
    long? TariffId,
    long? VillageId,
    long? ConnectionTypeId,
    long? ConnectionGroupId,
    decimal? Latitude,
    decimal? Longitude);

/// <param name="Errors">By the <see cref="FieldRegistration"/> property at fault, camel-cased (e.g. "serialNumber").</param>
public sealed record FieldRegistrationResult(long? CustomerId, long? MeterId, bool AlreadyRegistered, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => CustomerId is not null;
}
