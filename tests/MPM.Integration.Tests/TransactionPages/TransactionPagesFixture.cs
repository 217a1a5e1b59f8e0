using System.Net;
using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Integration.Tests.TransactionPages;

[CollectionDefinition(Name)]
public sealed class TransactionPagesCollection : ICollectionFixture<TransactionPagesFixture>
{
    public const string Name = "TransactionPages";
}

/// <summary>
/// One database and host for the Transactions tests, the clock stopped at Monday 2 March 2026, 10:00 in Dar es Salaam
/// (07:00 UTC), with the payment fixture plugin loaded. Three meters in three mini-grids:
/// <list type="bullet">
/// <item>KB-1001 of Asha Mwita in Bukoba, paying through "airtel";</item>
/// <item>KY-2002 of Juma Kombo in Kyaka, paying through "vodacom" (one payment through "fixture-pay", one cash);</item>
/// <item>PG-3003 of a customer whose name is a spreadsheet formula and whose surname is a script, in Rubya, with 20 old
/// "bulk" payments of 50 in June 2025 (for paging).</item>
/// </list>
/// Eleven recent transactions, T1 to T11, are described where they are declared (times local, UTC+3).
/// </summary>
public sealed class TransactionPagesFixture : IAsyncLifetime
{
    public const string ViewerEmail = "viewer@example.com";
    public const string Password = "correct-horse-battery";
    public const string FormulaName = "=HYPERLINK(\"x\")";
    public const string ScriptSurname = "<script>alert(1)</script>";
    public static readonly TimeSpan Local = TimeSpan.FromHours(3);
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, Local);

    private TestDatabase _database = null!;
    private string _pluginsFile = "";

    public FakeTimeProvider Clock { get; } = new(Now);

    public MpmWebFactory Factory { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public string ApiKey { get; private set; } = "";

    public long Bukoba { get; private set; }

    public long Kyaka { get; private set; }

    public long Rubya { get; private set; }

    public (long Customer, long Meter) Asha { get; private set; }

    public (long Customer, long Meter) Juma { get; private set; }

    public (long Customer, long Meter) Formula { get; private set; }

    /// <summary>Mon 2 Mar 08:00, confirmed 1000, KB-1001, airtel: allocations, token, events, SMS, provider outbox.</summary>
    public long T1 { get; private set; }

    /// <summary>Mon 2 Mar 09:30, cancelled 500, KY-2002, vodacom.</summary>
    public long T2 { get; private set; }

    /// <summary>Mon 2 Mar 09:45, received 700, KB-1001, airtel.</summary>
    public long T3 { get; private set; }

    /// <summary>Mon 2 Mar 00:30 (Sunday 21:30 UTC), confirmed 2000, KY-2002, vodacom.</summary>
    public long T4 { get; private set; }

    /// <summary>Sun 1 Mar 23:59, confirmed 300, KB-1001, airtel.</summary>
    public long T5 { get; private set; }

    /// <summary>Sat 28 Feb 22:00, confirmed 400, KB-1001, airtel.</summary>
    public long T6 { get; private set; }

    /// <summary>Mon 23 Feb 12:00, cancelled 600, KY-2002, vodacom: allocations reversed.</summary>
    public long T7 { get; private set; }

    /// <summary>Mon 23 Feb 13:00, processing 250, KB-1001, airtel.</summary>
    public long T8 { get; private set; }

    /// <summary>Sun 22 Feb 10:00, confirmed 800, KY-2002, cash.</summary>
    public long T9 { get; private set; }

    /// <summary>Sat 31 Jan 23:00, confirmed 900, KB-1001, airtel.</summary>
    public long T10 { get; private set; }

    /// <summary>Mon 2 Mar 09:50, received 150, KY-2002, fixture-pay (the plugin renders its data).</summary>
    public long T11 { get; private set; }

    /// <summary>The 20 bulk payments of PG-3003, newest first.</summary>
    public IReadOnlyList<long> Bulk { get; private set; } = [];

    /// <summary>The eleven recent transactions, newest first.</summary>
    public IReadOnlyList<long> Recent => [T11, T3, T2, T1, T4, T5, T6, T8, T7, T9, T10];

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _pluginsFile = Path.Combine(Path.GetTempPath(), $"mpm-transactions-plugins-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_pluginsFile, """{ "plugins": [ { "id": "fixture-pay", "path": "MPM.Fixtures.Payments", "enabled": true } ] }""");
        Factory = new ClockedFactory(_database, _pluginsFile, Clock);
        await Factory.AddUserAsync(ViewerEmail, Password, Roles.Viewer);
        ApiKey = await Factory.AddApiKeyAsync();

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var registration = scope.ServiceProvider.GetRequiredService<Registration>();
        var now = Clock.GetUtcNow();
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Kagera", CreatedAt = now });
        var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = "Household", PricePerKWh = 500m, CreatedAt = now });
        var manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
        Bukoba = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        Kyaka = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Kyaka", Latitude = -1.25m, Longitude = 31.42m, CreatedAt = now });
        Rubya = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Rubya", Latitude = -1.10m, Longitude = 31.60m, CreatedAt = now });

        async Task<(long, long)> Register(long miniGrid, string village, string name, string surname, string phone, string serial)
        {
            var villageId = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = village, Latitude = -1.3m, Longitude = 31.8m, CreatedAt = now });
            var result = await registration.RegisterAsync(new RegistrationRequest(
                new CustomerInput(name, surname, phone, null, null), new AddressInput(villageId, null, null, null), new MeterInput(serial, manufacturer, tariff, null, null)));
            return result.Succeeded ? (result.CustomerId!.Value, result.MeterId!.Value) : throw new InvalidOperationException(string.Join("; ", result.Errors.Values));
        }

        Asha = await Register(Bukoba, "Kashai", "Asha", "Mwita", "+255712000001", "KB-1001");
        Juma = await Register(Kyaka, "Mutukula", "Juma", "Kombo", "+255712000002", "KY-2002");
        Formula = await Register(Rubya, "Katoke", FormulaName, ScriptSurname, "+255712000003", "PG-3003");

        async Task<long> Pay((long Customer, long Meter) who, string provider, string status, decimal amount, DateTimeOffset receivedAt, string reference, string? reason = null)
        {
            var meter = await db.Meters.SingleAsync(m => m.Id == who.Meter);
            var village = await db.Villages.SingleAsync(v => v.Id == meter.VillageId);
            var done = status is TransactionStatus.Confirmed or TransactionStatus.Cancelled;
            return await db.InsertWithInt64IdentityAsync(new TransactionRecord
            {
                Provider = provider, ProviderReference = reference, MeterId = meter.Id, MeterSerial = meter.SerialNumber, CustomerId = who.Customer,
                VillageId = village.Id, MiniGridId = village.MiniGridId, ClusterId = cluster, Amount = amount, Currency = "TZS", PayerPhone = "+255787000000",
                RawData = $$"""{"reference":"{{reference}}","note":"<b>paid</b>"}""", Status = status, Reason = reason,
                NextAttemptAt = receivedAt.ToUniversalTime(), ReceivedAt = receivedAt.ToUniversalTime(), CompletedAt = done ? receivedAt.AddSeconds(2).ToUniversalTime() : null,
            });
        }

        T1 = await Pay(Asha, "airtel", TransactionStatus.Confirmed, 1000m, new(2026, 3, 2, 8, 0, 0, Local), "AT-0001");
        T2 = await Pay(Juma, "vodacom", TransactionStatus.Cancelled, 500m, new(2026, 3, 2, 9, 30, 0, Local), "VC-0002", "minimum purchase amount not reached");
        T3 = await Pay(Asha, "airtel", TransactionStatus.Received, 700m, new(2026, 3, 2, 9, 45, 0, Local), "AT-0003");
        T4 = await Pay(Juma, "vodacom", TransactionStatus.Confirmed, 2000m, new(2026, 3, 2, 0, 30, 0, Local), "VC-0004");
        T5 = await Pay(Asha, "airtel", TransactionStatus.Confirmed, 300m, new(2026, 3, 1, 23, 59, 0, Local), "AT-0005");
        T6 = await Pay(Asha, "airtel", TransactionStatus.Confirmed, 400m, new(2026, 2, 28, 22, 0, 0, Local), "AT-0006");
        T7 = await Pay(Juma, "vodacom", TransactionStatus.Cancelled, 600m, new(2026, 2, 23, 12, 0, 0, Local), "VC-0007", "token generator failed for good");
        T8 = await Pay(Asha, "airtel", TransactionStatus.Processing, 250m, new(2026, 2, 23, 13, 0, 0, Local), "AT-0008");
        T9 = await Pay(Juma, "cash", TransactionStatus.Confirmed, 800m, new(2026, 2, 22, 10, 0, 0, Local), "CASH-0009");
        T10 = await Pay(Asha, "airtel", TransactionStatus.Confirmed, 900m, new(2026, 1, 31, 23, 0, 0, Local), "AT-0010");
        T11 = await Pay(Juma, "fixture-pay", TransactionStatus.Received, 150m, new(2026, 3, 2, 9, 50, 0, Local), "FX-0011");
        var bulk = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            bulk.Add(await Pay(Formula, "bulk", TransactionStatus.Confirmed, 50m, new DateTimeOffset(2025, 6, 1, 8, 0, 0, Local).AddHours(i), $"BULK-{i:00}"));
        }

        bulk.Reverse();
        Bulk = bulk;

        // T1: an overdue rate, access-rate debt and energy; its token; the pipeline's events, SMS and provider answer.
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 1, Local).ToUniversalTime();
        foreach (var (type, amount, description) in new[] { ("asset-rate", 200m, "Water pump rate due 2026-02-01"), ("access-rate", 100m, "access rate"), ("energy", 700m, "1.4 kWh") })
        {
            await db.InsertAsync(new AllocationRecord { TransactionId = T1, Type = type, Amount = amount, Description = description, CreatedAt = at });
        }

        await db.InsertAsync(new TokenRecord { TransactionId = T1, MeterId = Asha.Meter, Value = "12345678901234567890", Kind = "energy", Amount = 1.4m, Unit = "kWh", CreatedAt = at });
        await db.Transactions.Where(t => t.Id == T1).Set(t => t.EnergyKWh, 1.4m).UpdateAsync();
        foreach (var (offset, name, details) in new[] { (0, "received", "from airtel"), (1, "allocated", "asset-rate 200, access-rate 100, energy 700"), (2, "confirmed", "token issued") })
        {
            await db.InsertAsync(new TransactionEventRecord { TransactionId = T1, At = at.AddSeconds(offset), Event = name, Details = details });
        }

        await db.InsertAsync(Sms(T1, Asha.Customer, "+255712000001", "Meter KB-1001: token 1234-5678-9012-3456-7890 for 1.4 kWh.", SmsStatus.Delivered, null, at));
        await db.InsertAsync(Sms(T1, Asha.Customer, "+255787000000", "Meter KB-1001: paid 1000 TZS.", SmsStatus.Failed, "gateway refused the number", at.AddSeconds(1)));
        await db.InsertAsync(new ProviderOutboxRecord
        {
            TransactionId = T1, Provider = "airtel", Status = "delivered", Attempts = 2, NextAttemptAt = at, Response = """{"status":"200","message":"<ok>"}""",
            CreatedAt = at, CompletedAt = at.AddSeconds(30),
        });

        // T7: allocated, then cancelled: every allocation reversed by a negative row.
        foreach (var (type, amount, description) in new[] { ("access-rate", 100m, "access rate"), ("energy", 500m, "1.0 kWh") })
        {
            var id = await db.InsertWithInt64IdentityAsync(new AllocationRecord { TransactionId = T7, Type = type, Amount = amount, Description = description, CreatedAt = at });
            await db.InsertAsync(new AllocationRecord { TransactionId = T7, Type = type, Amount = -amount, Description = $"reversal: {description}", ReversesId = id, CreatedAt = at });
        }

        await db.InsertAsync(Sms(T7, Juma.Customer, "+255712000002", "Meter KY-2002: your payment of 600 TZS could not be processed.", SmsStatus.Queued, null, at));

        Viewer = await Factory.LoginAsync(ViewerEmail, Password);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        File.Delete(_pluginsFile);
    }

    private static SmsMessageRecord Sms(long transactionId, long customerId, string phone, string body, string status, string? reason, DateTimeOffset at) => new()
    {
        Direction = "out", Phone = phone, CustomerId = customerId, TransactionId = transactionId, Body = body, Status = status, Reason = reason,
        NextAttemptAt = at, CreatedAt = at, UpdatedAt = at,
    };

    public async Task<string> GetPageAsync(string url)
    {
        var response = await Viewer.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The transactions the list page links to, in the table's order.</summary>
    public static IReadOnlyList<long> ListedIds(string html) =>
        Regex.Matches(Section(html, "table", "transactions-table"), "href=\"/Transactions/(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)).ToList();

    /// <summary>The first element with this tag and id, with its content.</summary>
    public static string Section(string html, string tag, string id) =>
        Regex.Match(html, $"<{tag}[^>]*id=\"{id}\".*?</{tag}>", RegexOptions.Singleline) is { Success: true } m
            ? m.Value
            : throw new InvalidOperationException($"no <{tag} id=\"{id}\"> on the page");

    /// <summary>A scope's service, for calling the queries directly.</summary>
    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private sealed class ClockedFactory(TestDatabase database, string pluginsFile, TimeProvider clock) : MpmWebFactory(database, pluginsFile)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // The fixture's transactions are written as they are meant to stay: no worker may process them.
            builder.UseSetting("Pipeline:Enabled", "false");
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
