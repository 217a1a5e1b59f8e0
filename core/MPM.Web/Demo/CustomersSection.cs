using MPM.Core.Domain;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>
/// Customers registered with their meter over the past months, as the registration app would have: a primary address
/// in a village, an STS meter there, and an access-rate account when the tariff has one. Written by bulk copy.
/// </summary>
public sealed class CustomersSection(MpmDb db) : IDemoSection
{
    private const long SerialSpace = 100_000_000;

    // Coprime with 10^8: serial i = (start + stride * i) mod 10^8 never repeats and does not look like a counter.
    private const long SerialStride = 61_803_399;

    private static readonly string[] MobilePrefixes = ["61", "62", "65", "67", "68", "69", "71", "74", "75", "76", "77", "78"];

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var count = context.Options.Customers;
        var customers = Generate(
            context,
            await DemoBulk.ReserveIdsAsync(db, "mpm.customers", count, cancellationToken),
            await DemoBulk.ReserveIdsAsync(db, "mpm.addresses", count, cancellationToken),
            await DemoBulk.ReserveIdsAsync(db, "mpm.meters", count, cancellationToken));
        await DemoBulk.CopyAsync(db, customers.Select(c => c.Customer), cancellationToken);
        await DemoBulk.CopyAsync(db, customers.Select(c => c.Address), cancellationToken);
        await DemoBulk.CopyAsync(db, customers.Select(c => c.Meter), cancellationToken);
        await DemoBulk.CopyAsync(db, customers.Where(c => c.Account is not null).Select(c => c.Account!), cancellationToken);
        context.Customers.AddRange(customers);
    }

    /// <summary>The customers, with ids counted up from the given first ids; registration times ascend with the ids.</summary>
    public static IReadOnlyList<DemoCustomer> Generate(DemoContext context, long firstCustomerId, long firstAddressId, long firstMeterId)
    {
        var random = context.Random;
        var count = context.Options.Customers;
        var registered = Enumerable.Range(0, count).Select(_ => context.Between(context.Start, context.Now)).Order().ToList();
        var serialStart = random.NextInt64(SerialSpace);
        var customers = new List<DemoCustomer>(count);
        for (var i = 0; i < count; i++)
        {
            var at = registered[i];
            var segment = PickSegment(context);
            var village = context.Pick(context.Villages);
            var female = random.Next(2) == 0;
            var name = context.Pick(female ? TanzanianNames.Female : TanzanianNames.Male);
            var surname = context.Pick(village.Surnames);
            var phone = "+255" + context.Pick(MobilePrefixes) + random.Next(10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            var latitude = Scatter(random, village.Record.Latitude);
            var longitude = Scatter(random, village.Record.Longitude);
            var serial = StsMeterNumber.Create(ManufacturerSection.ManufacturerCode, (serialStart + SerialStride * i) % SerialSpace);
            var customer = new CustomerRecord
            {
                Id = firstCustomerId + i,
                Name = name,
                Surname = surname,
                Phone = phone,
                BirthDate = DateOnly.FromDateTime(at.UtcDateTime).AddDays(-random.Next(18 * 365, 75 * 365)),
                Gender = female ? "female" : "male",
                ConnectionTypeId = segment.Type.Id,
                CreatedAt = at,
                SearchText = SearchText(name, surname, phone, village.Record.Name, serial),
            };
            var address = new AddressRecord
            {
                Id = firstAddressId + i,
                CustomerId = customer.Id,
                VillageId = village.Record.Id,
                Street = random.Next(3) == 0 ? null : context.Pick(TanzanianNames.Streets),
                Phone = phone,
                Latitude = latitude,
                Longitude = longitude,
                IsPrimary = true,
                CreatedAt = at,
            };
            var meter = new MeterRecord
            {
                Id = firstMeterId + i,
                SerialNumber = serial,
                CustomerId = customer.Id,
                VillageId = village.Record.Id,
                TariffId = segment.Tariff.Id,
                ManufacturerId = context.ManufacturerId,
                ConnectionTypeId = segment.Type.Id,
                ConnectionGroupId = context.Pick(segment.Groups).Id,
                Latitude = latitude,
                Longitude = longitude,
                InUse = true,
                RegisteredAt = at,
            };
            customers.Add(new DemoCustomer(customer, address, meter, Account(meter, segment.Tariff, context.Today), segment));
        }

        return customers;
    }

    /// <summary>
    /// What <see cref="MPM.Web.Features.Customers.CustomerSearchText.RefreshAsync"/> stores for a customer with one
    /// address (carrying the customer's phone) and one meter.
    /// </summary>
    public static string SearchText(string name, string surname, string phone, string villageName, string serial) =>
        string.Join(' ', name, surname, phone, phone, villageName, serial).ToLowerInvariant();

    /// <summary>Opened at registration and accrued up to today, as the daily job would have done (no payments yet).</summary>
    private static AccessRateAccountRecord? Account(MeterRecord meter, TariffRecord tariff, DateOnly today)
    {
        if (tariff is not { AccessRateAmount: { } amount, AccessRatePeriodDays: { } days })
        {
            return null;
        }

        var opened = AccessRate.Open(DateOnly.FromDateTime(meter.RegisteredAt.UtcDateTime), days);
        var (state, _) = AccessRate.Accrue(opened, amount, days, today);
        return new AccessRateAccountRecord { MeterId = meter.Id, Amount = amount, PeriodDays = days, NextDue = state.NextDue, Debt = state.Debt };
    }

    private static DemoSegment PickSegment(DemoContext context)
    {
        var roll = context.Random.Next(context.Segments.Sum(s => s.Weight));
        foreach (var segment in context.Segments)
        {
            if (roll < segment.Weight)
            {
                return segment;
            }

            roll -= segment.Weight;
        }

        throw new InvalidOperationException("no customer segments");
    }

    /// <summary>Within about 1.3 km of the village centre.</summary>
    private static decimal Scatter(Random random, decimal centre) => Math.Round(centre + (decimal)((random.NextDouble() * 2 - 1) * 0.012), 6);
}
