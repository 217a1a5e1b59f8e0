using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Plugins.Providers.Tests.Support;
using Xunit;
using static MPM.Plugins.Providers.Tests.Support.Messages;

namespace MPM.Plugins.Providers.Tests;

/// <summary>A host whose plugins send outcomes to a fake broker / fake Airtel on loopback; Vodacom checks a spPassword.</summary>
public sealed class OutcomeWorld : IAsyncLifetime
{
    public const string BrokerPassword = "broker-secret";

    public ProviderWorld World { get; private set; } = null!;

    public FakeProviderServer Broker { get; private set; } = null!;

    public FakeProviderServer Airtel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await FakeProviderServer.StartAsync();
        Airtel = await FakeProviderServer.StartAsync();
        World = await ProviderWorld.CreateAsync(new()
        {
            ["vodacom-tz"] = new() { ["resultUrl"] = Broker.Url, ["spPassword"] = BrokerPassword },
            ["airtel-tz"] = new() { ["rollbackUrl"] = Airtel.Url },
        });
    }

    public async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await Broker.DisposeAsync();
        await Airtel.DisposeAsync();
    }
}

/// <summary>Vodacom's result call and Airtel's rollback, through the core's outbox, to real loopback servers.</summary>
public sealed class OutcomeDeliveryTests(OutcomeWorld fixture) : IClassFixture<OutcomeWorld>
{
    private readonly ProviderWorld _world = fixture.World;

    private static string Timestamp => DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<TransactionRecord> PayVodacomAsync(string meter, string conversation, string amount = "2000.00")
    {
        var timestamp = Timestamp;
        var (status, body) = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, amount: amount, spPassword: SpPassword("332277", OutcomeWorld.BrokerPassword, timestamp), timestamp: timestamp));
        Assert.Equal((HttpStatusCode.OK, VodacomAcknowledgement(conversation)), (status, body));
        return await _world.QueryAsync(db => db.Transactions.FirstAsync(t => t.Provider == "vodacom-tz" && t.ProviderReference == conversation));
    }

    private List<ReceivedRequest> BrokerGot(string conversation) => fixture.Broker.Received.Where(r => Field(r.Body, "conversationID") == conversation).ToList();

    [Fact]
    public async Task A_confirmed_payment_posts_result_code_0_to_the_broker_and_records_its_answer()
    {
        fixture.Broker.DefaultAnswer = (200, BrokerAnswer("0"));
        var meter = await _world.MeterAsync();
        var conversation = NewReference();

        var payment = await PayVodacomAsync(meter, conversation);

        Assert.Equal(TransactionStatus.Confirmed, (await _world.FinishedAsync(payment.Id)).Status);
        var outbox = await _world.OutboxDoneAsync(payment.Id);
        Assert.Equal(("delivered", 1, "broker answered responseCode 0"), (outbox.Status, outbox.Attempts, outbox.Response));
        var result = Assert.Single(BrokerGot(conversation)).Body;
        Assert.Equal(("Completed", "0", $"orig-{conversation}", "76446330", "255757966347", payment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (Field(result, "resultType"), Field(result, "resultCode"), Field(result, "originatorConversationID"), Field(result, "transactionID"), Field(result, "initiator"), Field(result, "serviceReceipt")));
        Assert.Equal(SpPassword("332277", OutcomeWorld.BrokerPassword, Field(result, "timestamp")!), Field(result, "spPassword"));
        var events = await _world.QueryAsync(db => db.TransactionEvents.Where(e => e.TransactionId == payment.Id).Select(e => e.Details).ToListAsync());
        Assert.Contains("broker answered responseCode 0", events); // the broker's answer, on the transaction
    }

    [Fact]
    public async Task A_result_the_broker_fails_is_retried_until_it_answers()
    {
        fixture.Broker.DefaultAnswer = (200, BrokerAnswer("0"));
        fixture.Broker.Then(503, "busy");
        var meter = await _world.MeterAsync();
        var conversation = NewReference();

        var payment = await PayVodacomAsync(meter, conversation);

        var outbox = await _world.OutboxDoneAsync(payment.Id);
        Assert.Equal(("delivered", 2, "broker answered responseCode 0"), (outbox.Status, outbox.Attempts, outbox.Response));
        Assert.Equal(2, BrokerGot(conversation).Count);
        var events = await _world.QueryAsync(db => db.TransactionEvents.Where(e => e.TransactionId == payment.Id && e.Event.StartsWith("provider-")).OrderBy(e => e.Id).Select(e => e.Event + ": " + e.Details).ToListAsync());
        Assert.Equal(["provider-pending: HTTP 503: busy", "provider-delivered: broker answered responseCode 0"], events);
    }

    [Fact]
    public async Task A_cancelled_payment_posts_result_code_999_and_an_unexpected_answer_is_recorded_as_a_conflict()
    {
        fixture.Broker.DefaultAnswer = (200, BrokerAnswer("0"));
        var meter = await _world.MeterAsync(price: 500, minimumPurchase: 5000);
        var conversation = NewReference();

        var payment = await PayVodacomAsync(meter, conversation, amount: "1000.00");

        Assert.Equal(TransactionStatus.Cancelled, (await _world.FinishedAsync(payment.Id)).Status);
        var outbox = await _world.OutboxDoneAsync(payment.Id);
        Assert.Equal("delivered", outbox.Status);
        Assert.StartsWith("conflict: broker answered responseCode 0 where 999 was expected", outbox.Response);
        Assert.Equal("999", Field(Assert.Single(BrokerGot(conversation)).Body, "resultCode"));
    }

    [Fact]
    public async Task A_wrong_sp_password_is_refused_401_and_stores_nothing()
    {
        var meter = await _world.MeterAsync();
        var conversation = NewReference();
        var timestamp = Timestamp;

        var (status, body) = await _world.PostAsync(VodacomPath, Vodacom(meter, conversation, spPassword: SpPassword("332277", "not-the-secret", timestamp), timestamp: timestamp));

        Assert.Equal((HttpStatusCode.Unauthorized, "999"), (status, Field(body, "responseCode")));
        Assert.False(await _world.QueryAsync(db => db.Transactions.AnyAsync(t => t.ProviderReference == conversation)));
    }

    [Fact]
    public async Task A_cancelled_airtel_payment_sends_the_rollback_command_retrying_until_airtel_answers()
    {
        fixture.Airtel.DefaultAnswer = (200, "<COMMAND><STATUS>200</STATUS></COMMAND>");
        fixture.Airtel.Then(500, "down");
        var meter = await _world.MeterAsync(price: 500, minimumPurchase: 5000);
        var transId = NewReference();
        var (status, _) = await _world.PostAsync(AirtelPath, Airtel(meter, transId, amount: "1000"));
        Assert.Equal(HttpStatusCode.OK, status);
        var payment = await _world.QueryAsync(db => db.Transactions.FirstAsync(t => t.Provider == "airtel-tz" && t.ProviderReference == transId));

        Assert.Equal(TransactionStatus.Cancelled, (await _world.FinishedAsync(payment.Id)).Status);
        var outbox = await _world.OutboxDoneAsync(payment.Id);
        Assert.Equal(("delivered", 2), (outbox.Status, outbox.Attempts));
        Assert.Equal("rollback sent; Airtel answered HTTP 200: <COMMAND><STATUS>200</STATUS></COMMAND>", outbox.Response);
        var rollbacks = fixture.Airtel.Received.Where(r => Field(r.Body, "TXNID") == transId).ToList();
        Assert.Equal(2, rollbacks.Count);
        Assert.All(rollbacks, r => Assert.Equal(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><COMMAND><TYPE>ROLLBACK</TYPE><TXNID>{transId}</TXNID><TRID>{payment.Id}</TRID><MESSAGE>Transaction is cancelled</MESSAGE></COMMAND>", r.Body));
    }

    [Fact]
    public async Task A_confirmed_airtel_payment_sends_nothing()
    {
        var meter = await _world.MeterAsync();
        var transId = NewReference();
        await _world.PostAsync(AirtelPath, Airtel(meter, transId));
        var payment = await _world.QueryAsync(db => db.Transactions.FirstAsync(t => t.Provider == "airtel-tz" && t.ProviderReference == transId));

        Assert.Equal(TransactionStatus.Confirmed, (await _world.FinishedAsync(payment.Id)).Status);
        Assert.Equal("not sent: Airtel confirms successful payments itself", (await _world.OutboxDoneAsync(payment.Id)).Response);
        Assert.DoesNotContain(fixture.Airtel.Received, r => r.Body.Contains(transId, StringComparison.Ordinal));
    }
}
