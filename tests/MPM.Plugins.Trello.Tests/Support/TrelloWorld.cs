using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk.Ticketing;
using MPM.Testing;
using MPM.Core;
using MPM.Web.Features.Tickets;
using MPM.Web.Settings;
using Npgsql;
using Xunit;

namespace MPM.Plugins.Trello.Tests.Support;

/// <summary>
/// The real host (shipped plugins.json, so the Trello plugin as shipped) on its own database, serving on a loopback
/// port, with the plugin's settings pointing at a fake Trello, and a recording <see cref="ITicketEvents"/> in the
/// host's services where the core's implementation would be.
/// </summary>
public class TrelloWorld : IAsyncLifetime
{
    public const string Collection = "trello";

    public const string AppSecret = "trello-application-secret";
    public const string CallbackUrl = "https://mpm.example.org/plugins/trello/webhook";
    public const string WebhookPath = "/plugins/trello/webhook";

    private readonly string? _closedListId;
    private readonly bool _coreTickets;
    private TestDatabase _database = null!;

    public TrelloWorld()
        : this(null)
    {
    }

    /// <param name="coreTickets">The core's own tickets (its ITicketEvents and ticket outbox loop) instead of a recording ITicketEvents.</param>
    protected TrelloWorld(string? closedListId, bool coreTickets = false)
    {
        _closedListId = closedListId;
        _coreTickets = coreTickets;
    }

    public FakeTrello Trello { get; private set; } = null!;

    public RecordingTicketEvents Events { get; } = new();

    public MpmWebFactory Factory { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Trello = await FakeTrello.StartAsync();
        _database = await TestPostgres.CreateDatabaseAsync();
        Factory = _coreTickets ? new CoreTicketsFactory(_database) : new TrelloFactory(_database, Events);
        Http = new HttpClient { BaseAddress = new Uri(Factory.StartOnRealPort()) };
        await using var scope = Factory.Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().SaveAsync(TrelloPlugin.Id, PluginSettingsStore.PluginScope, new Dictionary<string, string?>
        {
            [TrelloOptions.BaseUrlKey] = Trello.Url,
            [TrelloOptions.ApiKeyKey] = FakeTrello.Key,
            [TrelloOptions.TokenKey] = FakeTrello.Token,
            [TrelloOptions.BoardIdKey] = "board1",
            [TrelloOptions.ListIdKey] = "list-new",
            [TrelloOptions.ClosedListIdKey] = _closedListId,
            [TrelloOptions.WebhookSecretKey] = AppSecret,
            [TrelloOptions.CallbackUrlKey] = CallbackUrl,
            [TrelloOptions.TimeoutKey] = "2",
        }, "test");
        Assert.Empty(errors);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        await Trello.DisposeAsync();
    }

    /// <summary>Calls the plugin's ticketing provider as the core does: keyed "trello" from a scope of the host.</summary>
    public async Task<T> ProviderAsync<T>(Func<ITicketingProvider, Task<T>> call)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredKeyedService<ITicketingProvider>(TrelloPlugin.Id));
    }

    public Task ProviderAsync(Func<ITicketingProvider, Task> call) => ProviderAsync(async p =>
    {
        await call(p);
        return true;
    });

    /// <summary>Trello's signature of a body delivered to the callback URL, computed here independently of the plugin.</summary>
    public static string Signature(string body, string secret = AppSecret, string callbackUrl = CallbackUrl) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body + callbackUrl)));

    /// <summary>Posts a webhook delivery; <paramref name="signature"/> defaults to the right one, "" sends none.</summary>
    public async Task<(int Status, string Body)> DeliverAsync(string body, string? signature = null, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = chunked;
        signature ??= Signature(body);
        if (signature.Length > 0)
        {
            request.Headers.Add("X-Trello-Webhook", signature);
        }

        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The rows of the plugin's own table (action id → origin), read straight from PostgreSQL.</summary>
    public async Task<Dictionary<string, string>> ActionRowsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT action_id, origin FROM plg_trello.actions", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }
}

public sealed class ClosedListWorld : TrelloWorld
{
    public ClosedListWorld()
        : base("list-done")
    {
    }

    public new const string Collection = "trello-closed-list";
}

/// <summary>One host per world, shared by the test classes of its collection (which run one after another).</summary>
[CollectionDefinition(TrelloWorld.Collection)]
public sealed class TrelloCollection : ICollectionFixture<TrelloWorld>;

[CollectionDefinition(ClosedListWorld.Collection)]
public sealed class ClosedListCollection : ICollectionFixture<ClosedListWorld>;

/// <summary>The plugin with the core's tickets: Trello chosen as the ticketing system, the core's ticket outbox loop running.</summary>
public sealed class CoreTicketsWorld : TrelloWorld
{
    public const string ManagerEmail = "manager@example.com";
    public const string Password = "correct-horse-battery";

    public CoreTicketsWorld()
        : base(null, coreTickets: true)
    {
    }

    public new const string Collection = "trello-core-tickets";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Factory.AddUserAsync(ManagerEmail, Password, Roles.Manager);
        await using var scope = Factory.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<TicketingProviders>().SetAsync(TrelloPlugin.Id, "test"));
    }
}

[CollectionDefinition(CoreTicketsWorld.Collection)]
public sealed class CoreTicketsCollection : ICollectionFixture<CoreTicketsWorld>;

public sealed class CoreTicketsFactory(TestDatabase database) : MpmWebFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Pipeline:Enabled", "false");
        builder.UseSetting("Tickets:RetryDelay", "00:00:01");
        builder.UseSetting("Tickets:Poll", "00:00:00.200");
    }
}

public sealed class TrelloFactory(TestDatabase database, ITicketEvents events) : MpmWebFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Pipeline:Enabled", "false");
        // Registered last, so it is the ITicketEvents the plugin resolves at request time (also once the core has its own).
        builder.ConfigureTestServices(services => services.AddSingleton(events));
    }
}

public sealed record TicketEvent(string Kind, string ProviderId, string Reference, string? Author, string? Text, bool? Closed);

/// <summary>Records the plugin's calls; can be told to fail the next one, as the core would if its database were down.</summary>
public sealed class RecordingTicketEvents : ITicketEvents
{
    private int _failNext;

    public ConcurrentQueue<TicketEvent> Calls { get; } = new();

    public void FailNext() => Interlocked.Exchange(ref _failNext, 1);

    public IReadOnlyList<TicketEvent> For(string reference) => Calls.Where(c => c.Reference == reference).ToList();

    public Task CommentAddedAsync(string providerId, string externalReference, string author, string text, CancellationToken cancellationToken = default) =>
        Record(new TicketEvent("comment", providerId, externalReference, author, text, null));

    public Task ClosedChangedAsync(string providerId, string externalReference, bool closed, CancellationToken cancellationToken = default) =>
        Record(new TicketEvent("closed", providerId, externalReference, null, null, closed));

    private Task Record(TicketEvent call)
    {
        if (Interlocked.Exchange(ref _failNext, 0) == 1)
        {
            throw new InvalidOperationException("the ticket store is unavailable");
        }

        Calls.Enqueue(call);
        return Task.CompletedTask;
    }
}
