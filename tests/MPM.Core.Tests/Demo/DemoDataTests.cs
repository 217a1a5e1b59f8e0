using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Demo;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Core.Tests.Demo;

/// <summary>The demo generators produce data the domain's own rules accept.</summary>
public sealed class DemoDataTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 15, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2025, 3, 15);

    [Fact]
    public void Generated_customers_pass_the_registration_rules()
    {
        var customers = CustomersSection.Generate(Context(2000), 1, 1, 1);

        Assert.Equal(2000, customers.Count);
        foreach (var (customer, address, meter, _, _) in customers)
        {
            var request = new RegistrationRequest(
                new CustomerInput(customer.Name, customer.Surname, customer.Phone, customer.BirthDate, customer.Gender),
                new AddressInput(address.VillageId, address.Street, address.Latitude, address.Longitude),
                new MeterInput(meter.SerialNumber, meter.ManufacturerId, meter.TariffId, meter.ConnectionTypeId, meter.ConnectionGroupId));
            Assert.Empty(Registration.Validate(request));
            Assert.StartsWith("+255", customer.Phone, StringComparison.Ordinal);
            Assert.Equal(13, customer.Phone.Length);
        }
    }

    [Fact]
    public void Meter_numbers_are_unique_valid_sts_numbers()
    {
        var serials = CustomersSection.Generate(Context(5000), 1, 1, 1).Select(c => c.Meter.SerialNumber).ToList();

        Assert.Equal(serials.Count, serials.Distinct().Count());
        Assert.All(serials, s =>
        {
            Assert.Matches("^47[0-9]{9}$", s);
            Assert.Equal(StsMeterNumber.LuhnCheckDigit(s[..10]), s[10] - '0');
        });
    }

    [Fact]
    public void Customers_address_and_meter_belong_together_and_registrations_follow_the_ids()
    {
        var context = Context(1000);
        var customers = CustomersSection.Generate(context, 100, 200, 300);

        for (var i = 0; i < customers.Count; i++)
        {
            var (customer, address, meter, _, segment) = customers[i];
            Assert.Equal((100 + i, 200 + i, 300 + i), (customer.Id, address.Id, meter.Id));
            Assert.Equal(customer.Id, address.CustomerId);
            Assert.Equal(customer.Id, meter.CustomerId);
            Assert.True(address.IsPrimary);
            Assert.Equal(customer.Phone, address.Phone);
            Assert.Equal(address.VillageId, meter.VillageId);
            Assert.Equal((address.Latitude, address.Longitude), (meter.Latitude, meter.Longitude));
            var village = context.Villages.Single(v => v.Record.Id == address.VillageId).Record;
            Assert.InRange(Math.Abs(address.Latitude!.Value - village.Latitude), 0m, 0.012m);
            Assert.InRange(Math.Abs(address.Longitude!.Value - village.Longitude), 0m, 0.012m);
            Assert.Equal(segment.Tariff.Id, meter.TariffId);
            Assert.Equal(segment.Type.Id, customer.ConnectionTypeId);
            Assert.Contains(segment.Groups, g => g.Id == meter.ConnectionGroupId);
            Assert.Equal(customer.CreatedAt, meter.RegisteredAt);
            Assert.InRange(customer.CreatedAt, Now.AddMonths(-6), Now);
            if (i > 0)
            {
                Assert.True(customers[i - 1].Customer.CreatedAt <= customer.CreatedAt);
            }
        }
    }

    [Fact]
    public void Access_rate_accounts_hold_every_period_since_registration()
    {
        var customers = CustomersSection.Generate(Context(1000), 1, 1, 1);

        Assert.Contains(customers, c => c.Account is not null);
        Assert.Contains(customers, c => c.Account is null);
        foreach (var (_, _, meter, account, segment) in customers)
        {
            if (segment.Tariff.AccessRatePeriodDays is not { } days)
            {
                Assert.Null(account);
                continue;
            }

            Assert.NotNull(account);
            Assert.Equal(meter.Id, account.MeterId);
            Assert.Equal((segment.Tariff.AccessRateAmount, days), (account.Amount, account.PeriodDays));
            var firstDue = DateOnly.FromDateTime(meter.RegisteredAt.UtcDateTime).AddDays(days);
            var periods = account.NextDue.DayNumber - firstDue.DayNumber;
            Assert.Equal(0, periods % days);
            Assert.True(account.NextDue > Today);
            Assert.True(account.NextDue.AddDays(-days) <= Today || periods == 0);
            Assert.Equal(account.Amount * (periods / days), account.Debt);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_customers_and_another_seed_others()
    {
        static List<string> Rows(int seed) =>
            CustomersSection.Generate(Context(200, seed), 1, 1, 1).Select(c => $"{c.Customer.SearchText}|{c.Customer.CreatedAt:O}|{c.Address.Latitude}").ToList();

        Assert.Equal(Rows(5), Rows(5));
        Assert.NotEqual(Rows(5), Rows(6));
    }

    [Fact]
    public void Sold_assets_are_scheduled_to_the_total_less_the_down_payment()
    {
        var context = Context(2000);
        context.Customers.AddRange(CustomersSection.Generate(context, 1, 1, 1));
        var types = new Dictionary<string, AssetTypeRecord>
        {
            ["Water pump"] = new() { Id = 1, Name = "Water pump", Price = 1_200_000m },
            ["Milling machine"] = new() { Id = 2, Name = "Milling machine", Price = 3_500_000m },
            ["Solar fridge"] = new() { Id = 3, Name = "Solar fridge", Price = 1_600_000m },
            ["Electric sewing machine"] = new() { Id = 4, Name = "Electric sewing machine", Price = 450_000m },
            ["Welding machine"] = new() { Id = 5, Name = "Welding machine", Price = 2_200_000m },
            ["Television set"] = new() { Id = 6, Name = "Television set", Price = 380_000m },
        };

        var sales = AssetsSection.Generate(context, types);

        Assert.NotEmpty(sales);
        foreach (var (sale, rates) in sales)
        {
            var customer = context.Customers.Single(c => c.Customer.Id == sale.CustomerId).Customer;
            Assert.InRange(sale.SoldAt, customer.CreatedAt, Now);
            Assert.InRange(sale.DownPayment, 0m, sale.TotalCost);
            Assert.Equal(sale.RateCount, rates.Count);
            Assert.Equal(sale.TotalCost - sale.DownPayment, rates.Sum(r => r.Amount));
            Assert.Equal(Enumerable.Range(1, sale.RateCount), rates.Select(r => r.Number));
            Assert.Equal(sale.FirstPaymentDate, rates[0].DueDate);
            Assert.True(sale.FirstPaymentDate > DateOnly.FromDateTime(sale.SoldAt.UtcDateTime));
            var period = AssetSchedule.ParsePeriod(sale.RatePeriod);
            for (var i = 1; i < rates.Count; i++)
            {
                Assert.Equal(period == RatePeriod.Weekly ? rates[0].DueDate.AddDays(7 * i) : rates[0].DueDate.AddMonths(i), rates[i].DueDate);
            }
        }
    }

    /// <summary>Two villages in the two regions and the four connection types, one tariff each (two with access rates).</summary>
    private static DemoContext Context(int customers, int seed = DemoOptions.DefaultSeed)
    {
        var context = new DemoContext(new DemoOptions(customers, 6, seed), Now, Today) { ManufacturerId = 9 };
        context.Villages.Add(new DemoVillage(new VillageRecord { Id = 11, MiniGridId = 1, Name = "Bwisya", Latitude = -1.845m, Longitude = 33.040m }, "Lake Victoria", TanzanianNames.LakeVictoria));
        context.Villages.Add(new DemoVillage(new VillageRecord { Id = 12, MiniGridId = 2, Name = "Ilagala", Latitude = -5.205m, Longitude = 29.840m }, "Lake Tanganyika", TanzanianNames.LakeTanganyika));
        context.Segments.Add(Segment(1, CustomerGroupsSection.Residential, 75, new TariffRecord { Id = 1, Name = "Household", PricePerKWh = 1000m, AccessRateAmount = 1000m, AccessRatePeriodDays = 7 }));
        context.Segments.Add(Segment(2, CustomerGroupsSection.Commercial, 15, new TariffRecord { Id = 2, Name = "Business", PricePerKWh = 900m }));
        context.Segments.Add(Segment(3, CustomerGroupsSection.ProductiveUse, 6, new TariffRecord { Id = 3, Name = "Productive use", PricePerKWh = 600m, MinimumPurchase = 5000m }));
        context.Segments.Add(Segment(4, CustomerGroupsSection.Institution, 4, new TariffRecord { Id = 4, Name = "Institution", PricePerKWh = 750m, AccessRateAmount = 5000m, AccessRatePeriodDays = 30 }));
        return context;
    }

    private static DemoSegment Segment(long id, string type, int weight, TariffRecord tariff) =>
        new(new ConnectionTypeRecord { Id = id, Name = type }, [new ConnectionGroupRecord { Id = id * 10, Name = type + " A" }, new ConnectionGroupRecord { Id = id * 10 + 1, Name = type + " B" }], tariff, weight);
}
