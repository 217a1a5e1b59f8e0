using System.Collections.Concurrent;
using System.Net;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MPM.Core;
using MPM.Data;
using MPM.Sdk.Ticketing;
using MPM.Testing;
using MPM.Web.Features.Tickets;
using Xunit;

namespace MPM.Integration.Tests.Tickets;

/// <summary>
/// A ticketing provider registered keyed in the test host, as a plugin would: it records every call and fails as the
/// test says (the next N calls, with an HTTP status), and knows some user tags.
/// </summary>
public sealed class FakeTicketing : ITicketingProvider
{
    public const string Id = "faketix";
    private int _failures;

    public ConcurrentQueue<string> Calls { get; } = new();

    public HttpStatusCode FailWith { get; set; } = HttpStatusCode.ServiceUnavailable;

    /// <summary>UserExistsAsync throws, as when the provider cannot be reached.</summary>
    public bool Down { get; set; }

    public HashSet<string> Tags { get; } = ["@zawadi"];

    public void FailNext(int times, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
    {
        _failures = times;
        FailWith = status;
    }

    private void Call(string call)
    {
        Calls.Enqueue(call);
        if (_failures > 0)
        {
            _failures--;
            throw new HttpRequestException($"fake provider answered {(int)FailWith}", null, FailWith);
        }
    }

    public Task<string> CreateAsync(TicketInfo ticket, CancellationToken cancellationToken)
    {
        Call($"create {ticket.TicketId} {ticket.Title} [{ticket.Category}] {ticket.AssigneeTag}");
        return Task.FromResult($"card-{ticket.TicketId}");
    }

    public Task CommentAsync(string externalReference, string text, CancellationToken cancellationToken)
    {
        Call($"comment {externalReference} {text}");
        return Task.CompletedTask;
    }

    public Task AssignAsync(string externalReference, string? assigneeTag, CancellationToken cancellationToken)
    {
        Call($"assign {externalReference} {assigneeTag}");
        return Task.CompletedTask;
    }

    public Task SetClosedAsync(string externalReference, bool closed, CancellationToken cancellationToken)
    {
        Call($"{(closed ? "close" : "reopen")} {externalReference}");
        return Task.CompletedTask;
    }

    public Task<bool> UserExistsAsync(string tag, CancellationToken cancellationToken) =>
        Down ? throw new HttpRequestException("connection refused") : Task.FromResult(Tags.Contains(tag));
}

/// <summary>
/// The host on its own database with the clock stopped (by default at Sunday 15 March 2026, 10:00 in Dar es Salaam), the fake
/// ticketing provider registered (chosen or not, as the subclass says), the ticket outbox loop off (tests drive
/// <see cref="TicketOutbox"/>), and two mini-grids: Bukoba with customer Asha (primary address there), Muleba.
/// </summary>
public abstract class TicketsHost(DateTimeOffset start) : IAsyncLifetime
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 15, 10, 0, 0, TimeSpan.FromHours(3));

    public const string AdminEmail = "admin@example.com";
    public const string ManagerEmail = "manager@example.com";
    public const string ViewerEmail = "viewer@example.com";
    public const string Password = "correct-horse-battery";
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    private TestDatabase _database = null!;

    public FakeTimeProvider Clock { get; } = new(start);

    public FakeTicketing Provider { get; } = new();

    public MpmWebFactory Factory { get; private set; } = null!;

    public long Bukoba { get; private set; }

    public long Muleba { get; private set; }

    public long Asha { get; private set; }

    protected abstract bool ChooseProvider { get; }

    public virtual async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Factory = new TicketsFactory(_database, Clock, Provider);
        await Factory.AddUserAsync(AdminEmail, Password, Roles.Admin);
        await Factory.AddUserAsync(ManagerEmail, Password, Roles.Manager);
        await Factory.AddUserAsync(ViewerEmail, Password, Roles.Viewer);
        await QueryAsync(async db =>
        {
            var now = Clock.GetUtcNow();
            var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Kagera", CreatedAt = now });
            Bukoba = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
            Muleba = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Muleba", Latitude = -1.83m, Longitude = 31.65m, CreatedAt = now });
            var kashai = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = Bukoba, Name = "Kashai", Latitude = -1.30m, Longitude = 31.80m, CreatedAt = now });
            Asha = await db.InsertWithInt64IdentityAsync(new CustomerRecord { Name = "Asha", Surname = "Mwita", Phone = "+255712000001", CreatedAt = now, SearchText = "asha mwita" });
            await db.InsertAsync(new AddressRecord { CustomerId = Asha, VillageId = kashai, IsPrimary = true, CreatedAt = now });
            return 0;
        });
        if (ChooseProvider)
        {
            await WithAsync<TicketingProviders, string?>(p => p.SetAsync(FakeTicketing.Id, "test"));
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    public Task<HttpClient> LoginAsync(string email = ManagerEmail) => Factory.LoginAsync(email, Password);

    public async Task<T> QueryAsync<T>(Func<MpmDb, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MpmDb>());
    }

    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>One pass of the outbox, as the loop makes it.</summary>
    public Task<int> DeliverAsync() => WithAsync<TicketOutbox, int>(o => o.ProcessDueAsync());

    public Task<long> CategoryAsync(string name, bool outSourced = false) =>
        WithAsync<TicketDesk, long>(async d => (await d.AddCategoryAsync(new CategoryInput(name, "#123abc", outSourced), "test")).Id!.Value);

    public Task<long> TicketAsync(string title, long category, long? customer = null, long? miniGrid = null, long? assignee = null) =>
        WithAsync<TicketDesk, long>(async d =>
        {
            var result = await d.CreateAsync(new TicketInput(title, "", category, customer, miniGrid, assignee, null), "test");
            return result.Id ?? throw new InvalidOperationException(string.Join("; ", result.Errors.Values));
        });

    public Task<TicketRecord> TicketRecordAsync(long id) => QueryAsync(db => db.Tickets.FirstAsync(t => t.Id == id));

    public Task<List<TicketOutboxRecord>> OutboxAsync(long ticket) => QueryAsync(db => db.TicketOutbox.Where(o => o.TicketId == ticket).OrderBy(o => o.Id).ToListAsync());

    private sealed class TicketsFactory(TestDatabase database, TimeProvider clock, FakeTicketing provider) : MpmWebFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Pipeline:Enabled", "false");
            builder.UseSetting("Tickets:Worker", "false");
            builder.UseSetting("Tickets:RetryDelay", RetryDelay.ToString());
            builder.UseSetting("Tickets:MaxRetryDelay", "00:05:00");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(clock);
                services.AddKeyedSingleton<ITicketingProvider>(FakeTicketing.Id, provider);
            });
        }
    }
}

/// <summary>Tickets in the built-in store only: no provider chosen.</summary>
public sealed class BuiltInTicketsHost() : TicketsHost(DefaultStart)
{
    protected override bool ChooseProvider => false;
}

/// <summary>Tickets synced to the fake provider.</summary>
public sealed class SyncedTicketsHost() : TicketsHost(DefaultStart)
{
    protected override bool ChooseProvider => true;
}
