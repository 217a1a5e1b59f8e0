using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Plugins.Providers.Tests.Support;
using Xunit;
using static MPM.Plugins.Providers.Tests.Support.Messages;

namespace MPM.Plugins.Providers.Tests;

/// <summary>A host with the plugins configured as <c>demo seed</c> configures them (no result or rollback URL).</summary>
public sealed class DemoWorld : IAsyncLifetime
{
    public ProviderWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await ProviderWorld.CreateAsync();

    public async Task DisposeAsync() => await World.DisposeAsync();
}

/// <summary>Vodacom Tanzania M-Pesa broker requests over real HTTP on the demo configuration (spId 332277, no password check).</summary>
public sealed class VodacomTests(DemoWorld fixture) : IClassFixture<DemoWorld>
{
    private const string Provider = "vodacom-tz";
    private readonly ProviderWorld _world = fixture.World;

    private Task<List<TransactionRecord>> StoredAsync(string conversationId) =>
        _world.QueryAsync(db => db.Transactions.Where(t => t.Provider == Provider && t.ProviderReference == conversationId).ToListAsync());

    [Fact]
    public async Task A_payment_is_acknowledged_once_stored_and_ends_confirmed_with_a_token_shown_on_the_transaction_page()
    {
        var meter = await _world.MeterAsync(price: 500);
        var conversation = NewReference();

        var (status, body) = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, amount: "2000.00"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(VodacomAcknowledgement(conversation), body);
        var stored = Assert.Single(await StoredAsync(conversation));
        Assert.Equal((meter, 2000m, "+255757966347"), (stored.MeterSerial, stored.Amount, stored.PayerPhone));
        Assert.DoesNotContain("OUUFjsCKcOwCnGhCQpie1hvn29pGrXUI78Y46XwS3", stored.RawData);
        var finished = await _world.FinishedAsync(stored.Id);
        Assert.Equal(TransactionStatus.Confirmed, finished.Status);
        var token = await _world.QueryAsync(db => db.Tokens.FirstAsync(t => t.TransactionId == stored.Id));
        Assert.Equal((4.0m, "kWh"), (token.Amount, token.Unit));
        var outbox = await _world.OutboxDoneAsync(stored.Id);
        Assert.Equal(("delivered", "not sent: no URL configured"), (outbox.Status, outbox.Response));

        using var operatorClient = await _world.OperatorAsync();
        var page = await operatorClient.GetStringAsync($"/Transactions/{stored.Id}");
        Assert.Contains("id=\"vodacom-detail\"", page);
        Assert.Contains($"R{conversation}", page); // the M-Pesa receipt, through the plugin's partial
        Assert.Contains(string.Join(" ", token.Value.Chunk(4).Select(g => new string(g))), page); // the token, as the page groups it
    }

    [Fact]
    public async Task The_inforwise_namespace_spelling_is_accepted_and_answered_in_that_spelling()
    {
        var meter = await _world.MeterAsync();
        var conversation = NewReference();

        var (status, body) = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, ns: Inforwise));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(VodacomAcknowledgement(conversation, ns: Inforwise), body);
        Assert.Single(await StoredAsync(conversation));
    }

    [Fact]
    public async Task A_repeated_conversation_id_is_answered_exactly_as_the_first_time_and_stores_nothing_more()
    {
        var meter = await _world.MeterAsync();
        var conversation = NewReference();
        var first = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, amount: "1000.00", transactionId: "111"));
        var transactions = await _world.QueryAsync(db => db.Transactions.CountAsync());

        var again = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, amount: "1000.00", transactionId: "111"));
        var changed = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, amount: "9000.00", transactionId: "222"));

        Assert.Equal((HttpStatusCode.OK, VodacomAcknowledgement(conversation, transactionId: "111")), first);
        Assert.Equal(first, again);
        Assert.Equal(first, changed);
        Assert.Equal(1000m, Assert.Single(await StoredAsync(conversation)).Amount);
        Assert.Equal(transactions, await _world.QueryAsync(db => db.Transactions.CountAsync()));
    }

    [Fact]
    public async Task Twenty_concurrent_repeats_make_one_transaction_and_twenty_identical_acknowledgements()
    {
        var meter = await _world.MeterAsync();
        var conversation = NewReference();
        var request = Vodacom(meter, conversation);

        var answers = await _world.PostConcurrentlyAsync(VodacomPath, request);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, VodacomAcknowledgement(conversation)), a));
        var stored = Assert.Single(await StoredAsync(conversation));
        Assert.Equal(TransactionStatus.Confirmed, (await _world.FinishedAsync(stored.Id)).Status);
        Assert.Single(await _world.QueryAsync(db => db.Tokens.Where(t => t.TransactionId == stored.Id).ToListAsync()));
    }

    [Fact]
    public async Task An_unknown_meter_is_answered_999_failed_and_no_transaction_is_stored()
    {
        var conversation = NewReference();

        var (status, body) = await _world.PostAsync(VodacomPath, Vodacom("47999999990", conversation));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("999", "FAILED", "Unknown account reference", conversation), (Field(body, "responseCode"), Field(body, "serviceStatus"), Field(body, "responseDesc"), Field(body, "conversationID")));
        Assert.Empty(await StoredAsync(conversation));
    }

    [Fact]
    public async Task The_heartbeat_is_answered_and_ignored()
    {
        var before = await _world.StoredCountAsync();

        var (status, body) = await _world.PostAsync(VodacomPath, "<FailSafe>JUMEME</FailSafe>");

        Assert.Equal((HttpStatusCode.OK, "<FailSafe>JUMEME</FailSafe>"), (status, body));
        Assert.Equal(before, await _world.StoredCountAsync());
    }

    public static TheoryData<string> BadInputs => ["malformed XML", "DTD", "body over 64 KB", "body over 64 KB, chunked", "missing field", "wrong spId", "caller outside the allow-list"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_input_is_answered_as_specified_and_stores_nothing(string input)
    {
        await using var outside = await FakeProviderServer.StartAsync();
        var meter = await _world.MeterAsync();
        var conversation = NewReference();
        var chunked = input.EndsWith("chunked", StringComparison.Ordinal);
        var (request, expected, outsider) = input switch
        {
            "malformed XML" => (Vodacom(meter, conversation)[..200], HttpStatusCode.BadRequest, false),
            "DTD" => (Vodacom(meter + "&xxe;", conversation, prolog: $"<!DOCTYPE mpesaBroker [<!ENTITY xxe SYSTEM \"{outside.Url}/entity\">]>"), HttpStatusCode.BadRequest, false),
            "body over 64 KB" => (Vodacom(meter, conversation, padding: 64 * 1024), HttpStatusCode.RequestEntityTooLarge, false),
            "body over 64 KB, chunked" => (Vodacom(meter, conversation, padding: 64 * 1024), HttpStatusCode.RequestEntityTooLarge, false),
            "missing field" => (Vodacom(meter, conversation, omit: "accountReference"), HttpStatusCode.BadRequest, false),
            "wrong spId" => (Vodacom(meter, conversation, spId: "332278"), HttpStatusCode.Unauthorized, false),
            "caller outside the allow-list" => (Vodacom(meter, conversation), HttpStatusCode.Unauthorized, true),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var (status, body) = await _world.RefusedAsync(VodacomPath, request, outsider, outside, chunked);

        Assert.Equal(expected, status);
        Assert.Equal(("999", "FAILED"), (Field(body, "responseCode"), Field(body, "serviceStatus")));
    }
}
