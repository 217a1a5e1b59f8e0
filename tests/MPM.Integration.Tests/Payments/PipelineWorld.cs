using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Integration.Tests.Support;
using MPM.Plugins.Sts.Engine;
using MPM.Sdk.Payments;
using MPM.Sdk.Tokens;
using MPM.Testing;
using MPM.Web.Features.Customers;
using MPM.Web.Settings;

namespace MPM.Integration.Tests.Payments;

/// <summary>
/// A real host on its own database with a mini-grid, an STS manufacturer and a "flaky" test token generator, for
/// driving payments through the real pipeline.
/// </summary>
public sealed class PipelineWorld : IAsyncDisposable
{
    public const string VendingKey = "ABABABABABABABAB949494949494949401234567";
    private static int _serials;
    private readonly TestDatabase _database;
    private long _village;

    private PipelineWorld(TestDatabase database, PipelineFactory factory)
    {
        _database = database;
        Factory = factory;
    }

    public PipelineFactory Factory { get; }

    public TestDatabase Database => _database;

    public FlakyTokenGenerator Flaky => Factory.Flaky;

    public long StsManufacturer { get; private set; }

    /// <summary>The host's loopback URL when created with a real port.</summary>
    public string? BaseUrl { get; private set; }

    /// <summary>The village of the seeded mini-grid.</summary>
    public long Village => _village;

    public long FlakyManufacturer { get; private set; }

    /// <param name="realPort">Serve on loopback over real HTTP (for plugin endpoints called from outside), before anything starts the host.</param>
    public static async Task<PipelineWorld> CreateAsync(bool workers = true, bool realPort = false)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var world = new PipelineWorld(database, new PipelineFactory(database, workers));
        if (realPort)
        {
            world.BaseUrl = world.Factory.StartOnRealPort();
        }

        await world.SeedAsync();
        return world;
    }

    /// <summary>A second host on the same database, e.g. the one that starts after a crash.</summary>
    public PipelineFactory NewHost(bool workers = true) => new(_database, workers);

    private async Task SeedAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = DateTimeOffset.UtcNow;
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Lake Victoria", CreatedAt = now });
        var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { Name = "Ukerewe", ClusterId = cluster, Latitude = -2.05m, Longitude = 33.0m, CreatedAt = now });
        _village = await db.InsertWithInt64IdentityAsync(new VillageRecord { Name = "Nansio", MiniGridId = miniGrid, Latitude = -2.05m, Longitude = 33.0m, CreatedAt = now });
        StsManufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "STS meters", TokenGenerator = "sts", CreatedAt = now });
        FlakyManufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Flaky meters", TokenGenerator = FlakyTokenGenerator.Id, CreatedAt = now });
        var errors = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().SaveAsync("sts", PluginSettingsStore.ManufacturerScope(StsManufacturer), new Dictionary<string, string?>
        {
            ["vendingKey"] = VendingKey, ["keyGeneration"] = "04", ["encryption"] = "11", ["supplyGroupCode"] = "123457",
            ["tariffIndex"] = "1", ["keyRevision"] = "1", ["keyType"] = "2", ["baseDate"] = "2014",
        }, "test");
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Values));
        }
    }

    public async Task<long> TariffAsync(decimal price, decimal minimumPurchase = 0, params decimal[] components)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var id = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = $"Tariff {Guid.NewGuid():N}", PricePerKWh = price, MinimumPurchase = minimumPurchase, CreatedAt = DateTimeOffset.UtcNow });
        foreach (var (component, i) in components.Select((c, i) => (c, i)))
        {
            await db.InsertAsync(new TariffComponentRecord { TariffId = id, Name = $"Levy {i}", PricePerKWh = component });
        }

        return id;
    }

    /// <summary>Registers a customer with a new STS meter (a valid meter number) on the tariff; returns the serial.</summary>
    public async Task<(string Serial, long MeterId, long CustomerId)> MeterAsync(long tariff, long? manufacturer = null, decimal accessDebt = 0, string phone = "+255713000001", long? village = null)
    {
        var payload = $"47{Interlocked.Increment(ref _serials) + Environment.ProcessId % 1000 * 10000:D8}";
        var serial = payload + Luhn.CheckDigit(payload);
        await using var scope = Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput("Neema", "Mushi", phone, null, "female"),
            new AddressInput(village ?? _village, null, -2.05m, 33.0m),
            new MeterInput(serial, manufacturer ?? StsManufacturer, tariff, null, null)));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Conflict ?? string.Join("; ", result.Errors.Values));
        }

        if (accessDebt > 0)
        {
            var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
            await db.InsertAsync(new AccessRateAccountRecord { MeterId = result.MeterId!.Value, Amount = 100, PeriodDays = 7, NextDue = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)), Debt = accessDebt });
        }

        return (serial, result.MeterId!.Value, result.CustomerId!.Value);
    }

    /// <summary>An asset rate of the customer, due <paramref name="daysAgo"/> days ago.</summary>
    public async Task<long> OverdueRateAsync(long customerId, decimal amount, int daysAgo)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var type = await db.InsertWithInt64IdentityAsync(new AssetTypeRecord { Name = $"Water pump {Guid.NewGuid():N}"[..20], Price = amount });
        var due = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-daysAgo));
        var sale = await db.InsertWithInt64IdentityAsync(new AssetSaleRecord { CustomerId = customerId, AssetTypeId = type, TotalCost = amount, DownPayment = 0, RateCount = 1, RatePeriod = "monthly", FirstPaymentDate = due, SoldAt = DateTimeOffset.UtcNow });
        return await db.InsertWithInt64IdentityAsync(new AssetRateRecord { AssetSaleId = sale, Number = 1, DueDate = due, Amount = amount, Paid = 0 });
    }

    public async Task<IntakeResult> PayAsync(string serial, decimal amount, string? reference = null, string provider = "test-provider")
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPaymentIntake>().SubmitAsync(
            new IncomingPayment(provider, reference ?? Guid.NewGuid().ToString("N"), serial, amount, "TZS", "+255713000002", "{\"test\":true}"));
    }

    public async Task<TransactionRecord> FinishedAsync(long transactionId)
    {
        await Poll.UntilAsync(async () => (await TransactionAsync(transactionId)).Status is TransactionStatus.Confirmed or TransactionStatus.Cancelled, TimeSpan.FromSeconds(30), $"transaction {transactionId} to finish");
        return await TransactionAsync(transactionId);
    }

    public async Task<TransactionRecord> TransactionAsync(long transactionId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MpmDb>().Transactions.FirstAsync(t => t.Id == transactionId);
    }

    public async Task<T> QueryAsync<T>(Func<MpmDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MpmDb>());
    }

    public static DecoderKey KeyOf(string serial) =>
        DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, Convert.FromHexString(VendingKey),
            new DecoderKeyParameters(MeterPan.Parse(serial), "123457", 1, 1, 2, BaseDate.Year2014, EncryptionAlgorithm.Misty1));

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class PipelineFactory(TestDatabase database, bool workers) : MpmWebFactory(database)
{
    public FlakyTokenGenerator Flaky { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Pipeline:Enabled", workers ? "true" : "false");
        builder.UseSetting("Pipeline:RetryDelay", "00:00:00.100");
        builder.UseSetting("Pipeline:MaxTokenAttempts", "4");
        builder.UseSetting("Pipeline:SmsRetryDelay", "00:00:00.100");
        builder.ConfigureTestServices(services => services.AddKeyedSingleton<ITokenGenerator>(FlakyTokenGenerator.Id, Flaky));
    }
}

/// <summary>A token generator that fails as a test tells it to: some transient failures, or for good.</summary>
public sealed class FlakyTokenGenerator : ITokenGenerator
{
    public const string Id = "flaky";
    private int _transientFailuresLeft;

    public int Calls;

    public bool FailForGood { get; set; }

    public void FailTransiently(int times) => _transientFailuresLeft = times;

    /// <summary>Set when a call is held by <see cref="HoldUntilStopped"/>.</summary>
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool _hold;

    /// <summary>From now on every call waits until its host stops (its cancellation token fires), as a slow vendor would.</summary>
    public void HoldUntilStopped() => _hold = true;

    public async Task<GeneratedToken> GenerateCreditAsync(CreditTokenRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (_hold)
        {
            Held.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (FailForGood)
        {
            throw new TokenGenerationException("the meter is blocked at the vendor", transient: false);
        }

        if (Interlocked.Decrement(ref _transientFailuresLeft) >= 0)
        {
            throw new TokenGenerationException("vendor server did not answer", transient: true);
        }

        return new GeneratedToken($"{request.TransactionId:D20}", "energy", request.EnergyKWh, "kWh");
    }
}
