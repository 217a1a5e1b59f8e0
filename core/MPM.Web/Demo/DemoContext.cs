using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>A village of the demo and what its people are typically called.</summary>
public sealed record DemoVillage(VillageRecord Record, string ClusterName, IReadOnlyList<string> Surnames);

/// <summary>A connection type with its groups and the tariff its meters get; Weight is its share of the customers.</summary>
public sealed record DemoSegment(ConnectionTypeRecord Type, IReadOnlyList<ConnectionGroupRecord> Groups, TariffRecord Tariff, int Weight);

/// <summary>A registered customer with the primary address, meter and access-rate account they were registered with.</summary>
public sealed record DemoCustomer(CustomerRecord Customer, AddressRecord Address, MeterRecord Meter, AccessRateAccountRecord? Account, DemoSegment Segment);

/// <summary>What the sections share: options, the seeded random source, the clock, and what earlier sections created.</summary>
public sealed class DemoContext(DemoOptions options, DateTimeOffset now, DateOnly today)
{
    public DemoOptions Options { get; } = options;

    public Random Random { get; } = new(options.Seed);

    /// <summary>UTC.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>The operator's date today.</summary>
    public DateOnly Today { get; } = today;

    /// <summary>The first registration is no earlier than this; places and tariffs exist from a month before.</summary>
    public DateTimeOffset Start => Now.AddMonths(-Options.Months);

    public string OperatorName { get; set; } = "";

    public List<DemoVillage> Villages { get; } = [];

    public Dictionary<string, TariffRecord> Tariffs { get; } = [];

    public List<DemoSegment> Segments { get; } = [];

    public long ManufacturerId { get; set; }

    public List<DemoCustomer> Customers { get; } = [];

    public int AssetSales { get; set; }

    public int AssetRates { get; set; }

    public int Payments { get; set; }

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    /// <summary>A moment in [from, to), UTC, in whole seconds.</summary>
    public DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to)
    {
        var at = from + (to - from) * Random.NextDouble();
        return new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
