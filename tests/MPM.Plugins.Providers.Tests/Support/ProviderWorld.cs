using System.Net;
using System.Net.Sockets;
using System.Text;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Demo;
using MPM.Web.Features.Customers;
using MPM.Web.Settings;
using Xunit;

namespace MPM.Plugins.Providers.Tests.Support;

/// <summary>
/// The real host on its own database, serving on a loopback port, with a mini-grid, the demo's STS manufacturer and the
/// payment plugins configured as <c>demo seed</c> configures them (plus any overrides), for posting provider requests over HTTP.
/// </summary>
public sealed class ProviderWorld : IAsyncDisposable
{
    private static int _serials;
    private readonly TestDatabase _database;
    private readonly HttpClient _http;
    private readonly HttpClient _outsider;
    private long _village;
    private long _manufacturer;

    private ProviderWorld(TestDatabase database, string? pluginsFile)
    {
        _database = database;
        Factory = new ProviderFactory(database, pluginsFile);
        BaseUrl = Factory.StartOnRealPort();
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        // A caller from another address: loopback 127.0.0.2, which the demo allow-list (127.0.0.1, ::1) does not name.
        _outsider = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri(BaseUrl) };
    }

    public ProviderFactory Factory { get; }

    public string BaseUrl { get; }

    /// <summary>
    /// A world whose payment plugins have the demo settings with <paramref name="overrides"/> applied (plugin id → key →
    /// value); <paramref name="pluginsFile"/> is the host's plugins.json (default: the shipped one).
    /// </summary>
    public static async Task<ProviderWorld> CreateAsync(Dictionary<string, Dictionary<string, string?>>? overrides = null, string? pluginsFile = null)
    {
        var world = new ProviderWorld(await TestPostgres.CreateDatabaseAsync(), pluginsFile);
        await world.SeedAsync(overrides ?? []);
        return world;
    }

    private async Task SeedAsync(Dictionary<string, Dictionary<string, string?>> overrides)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var now = DateTimeOffset.UtcNow;
        var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Lake Victoria", CreatedAt = now });
        var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { Name = "Ukerewe", ClusterId = cluster, Latitude = -2.05m, Longitude = 33.0m, CreatedAt = now });
        _village = await db.InsertWithInt64IdentityAsync(new VillageRecord { Name = "Nansio", MiniGridId = miniGrid, Latitude = -2.05m, Longitude = 33.0m, CreatedAt = now });
        _manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = ManufacturerSection.Name, TokenGenerator = ManufacturerSection.TokenGenerator, CreatedAt = now });
        var store = scope.ServiceProvider.GetRequiredService<PluginSettingsStore>();
        Check(await store.SaveAsync(ManufacturerSection.TokenGenerator, PluginSettingsStore.ManufacturerScope(_manufacturer), ManufacturerSection.Settings, "test"));
        foreach (var pluginId in PaymentProvidersSection.Settings.Keys.Union(overrides.Keys))
        {
            var values = new Dictionary<string, string?>(PaymentProvidersSection.Settings.GetValueOrDefault(pluginId) ?? new Dictionary<string, string?>());
            foreach (var (key, value) in overrides.GetValueOrDefault(pluginId) ?? [])
            {
                values[key] = value;
            }

            Check(await store.SaveAsync(pluginId, PluginSettingsStore.PluginScope, values, "test"));
        }
    }

    private static void Check(IReadOnlyDictionary<string, string> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")));
        }
    }

    public async Task<long> TariffAsync(decimal price, decimal minimumPurchase = 0)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MpmDb>().InsertWithInt64IdentityAsync(
            new TariffRecord { Name = $"Tariff {Guid.NewGuid():N}", PricePerKWh = price, MinimumPurchase = minimumPurchase, CreatedAt = DateTimeOffset.UtcNow });
    }

    /// <summary>Registers a customer with a new STS meter (a valid meter number) on a tariff; returns the serial.</summary>
    public async Task<string> MeterAsync(decimal price = 500, decimal minimumPurchase = 0)
    {
        var tariff = await TariffAsync(price, minimumPurchase);
        var serial = StsMeterNumber.Create(ManufacturerSection.ManufacturerCode, Interlocked.Increment(ref _serials) + Environment.ProcessId % 1000 * 10000L);
        await using var scope = Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput("Neema", "Mushi", "+255713000001", null, "female"),
            new AddressInput(_village, null, -2.05m, 33.0m),
            new MeterInput(serial, _manufacturer, tariff, null, null)));
        return result.Succeeded ? serial : throw new InvalidOperationException(result.Conflict ?? string.Join("; ", result.Errors.Values));
    }

    /// <summary>Posts an XML body to a path of the host, from 127.0.0.1 or, when <paramref name="outsider"/>, from 127.0.0.2.</summary>
    /// <param name="chunked">Send without a Content-Length (chunked), so that the receiver learns the size only by reading.</param>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string body, bool outsider = false, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await (outsider ? _outsider : _http).SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Posts a request the plugin must refuse and checks that it stored nothing (no transaction, no intake refusal) and
    /// that nothing was fetched from <paramref name="outside"/> (where a test's external entities point).
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> RefusedAsync(string path, string request, bool outsider, FakeProviderServer outside, bool chunked = false)
    {
        var before = await StoredCountAsync();
        var answer = await PostAsync(path, request, outsider, chunked);
        Assert.Equal(before, await StoredCountAsync());
        Assert.Empty(outside.Received);
        return answer;
    }

    /// <summary>The same request 20 times at once.</summary>
    public Task<(HttpStatusCode Status, string Body)[]> PostConcurrentlyAsync(string path, string request) =>
        Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(path, request)));

    /// <summary>An operator with <paramref name="role"/>, logged in over the real port; the client keeps the cookie.</summary>
    public async Task<HttpClient> OperatorAsync(string role = "viewer")
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        await Factory.AddUserAsync(email, "operator-password-1", role);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) };
        var response = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = "operator-password-1" });
        return response.StatusCode == HttpStatusCode.Redirect ? client : throw new InvalidOperationException($"login failed: {(int)response.StatusCode}");
    }

    public async Task<T> QueryAsync<T>(Func<MpmDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MpmDb>());
    }

    public Task<List<TransactionRecord>> TransactionsAsync(string provider) =>
        QueryAsync(db => db.Transactions.Where(t => t.Provider == provider).OrderBy(t => t.Id).ToListAsync());

    public Task<int> StoredCountAsync() => QueryAsync(async db => await db.Transactions.CountAsync() + await db.IntakeRefusals.CountAsync());

    public async Task<TransactionRecord> FinishedAsync(long transactionId)
    {
        await Poll.UntilAsync(async () => (await QueryAsync(db => db.Transactions.FirstAsync(t => t.Id == transactionId))).Status is TransactionStatus.Confirmed or TransactionStatus.Cancelled,
            TimeSpan.FromSeconds(30), $"transaction {transactionId} to finish");
        return await QueryAsync(db => db.Transactions.FirstAsync(t => t.Id == transactionId));
    }

    /// <summary>The transaction's provider outbox row once it is no longer pending.</summary>
    public async Task<ProviderOutboxRecord> OutboxDoneAsync(long transactionId, int timeoutSeconds = 30)
    {
        await Poll.UntilAsync(async () => await QueryAsync(db => db.ProviderOutbox.AnyAsync(o => o.TransactionId == transactionId && o.Status != "pending")),
            TimeSpan.FromSeconds(timeoutSeconds), $"the provider outbox of transaction {transactionId}");
        return await QueryAsync(db => db.ProviderOutbox.FirstAsync(o => o.TransactionId == transactionId));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _outsider.Dispose();
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class ProviderFactory(TestDatabase database, string? pluginsFile = null) : MpmWebFactory(database, pluginsFile)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Pipeline:RetryDelay", "00:00:00.100");
    }
}

public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
