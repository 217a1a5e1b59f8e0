using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Plugins.Providers.Tests.Support;
using Xunit;
using static MPM.Plugins.Providers.Tests.Support.Messages;

namespace MPM.Plugins.Providers.Tests;

/// <summary>Airtel Money Tanzania pushes over real HTTP on the demo configuration (APIUser mpm-demo, no rollback URL).</summary>
public sealed class AirtelTests(DemoWorld fixture) : IClassFixture<DemoWorld>
{
    private const string Provider = "airtel-tz";
    private readonly ProviderWorld _world = fixture.World;

    private Task<List<TransactionRecord>> StoredAsync(string transId) =>
        _world.QueryAsync(db => db.Transactions.Where(t => t.Provider == Provider && t.ProviderReference == transId).ToListAsync());

    [Fact]
    public async Task A_payment_is_acknowledged_with_cmprres_200_and_ends_confirmed_with_a_token_shown_on_the_transaction_page()
    {
        var meter = await _world.MeterAsync(price: 500);
        var transId = NewReference();

        var (status, body) = await _world.PostAsync(AirtelPath, Airtel(meter, transId, amount: "1500"));

        Assert.Equal(HttpStatusCode.OK, status);
        var stored = Assert.Single(await StoredAsync(transId));
        Assert.Equal(AirtelAcknowledgement(stored.Id, meter, transId), body);
        Assert.Equal((meter, 1500m, "+255784000111"), (stored.MeterSerial, stored.Amount, stored.PayerPhone));
        Assert.DoesNotContain("mpm-demo-password", stored.RawData);
        var finished = await _world.FinishedAsync(stored.Id);
        Assert.Equal(TransactionStatus.Confirmed, finished.Status);
        var token = await _world.QueryAsync(db => db.Tokens.FirstAsync(t => t.TransactionId == stored.Id));
        Assert.Equal(3.0m, token.Amount);
        var outbox = await _world.OutboxDoneAsync(stored.Id);
        Assert.Equal(("delivered", "not sent: Airtel confirms successful payments itself"), (outbox.Status, outbox.Response));

        using var operatorClient = await _world.OperatorAsync();
        var page = await operatorClient.GetStringAsync($"/Transactions/{stored.Id}");
        Assert.Contains("id=\"airtel-detail\"", page);
        Assert.Contains($"TR{transId}", page);
        Assert.Contains(string.Join(" ", token.Value.Chunk(4).Select(g => new string(g))), page);
    }

    [Fact]
    public async Task A_repeated_trans_id_is_answered_exactly_as_the_first_time_with_no_second_transaction()
    {
        var meter = await _world.MeterAsync();
        var transId = NewReference();
        var first = await _world.PostAsync(AirtelPath, Airtel(meter, transId, amount: "1000"));

        var again = await _world.PostAsync(AirtelPath, Airtel(meter, transId, amount: "1000"));
        var changed = await _world.PostAsync(AirtelPath, Airtel(meter, transId, amount: "7000", msisdn: "784999999"));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("200", Field(first.Body, "TXNSTATUS"));
        Assert.Equal(first, again);
        Assert.Equal(first, changed);
        Assert.Equal(1000m, Assert.Single(await StoredAsync(transId)).Amount);
    }

    [Fact]
    public async Task Twenty_concurrent_repeats_make_one_transaction_and_twenty_identical_acknowledgements()
    {
        var meter = await _world.MeterAsync();
        var transId = NewReference();
        var request = Airtel(meter, transId);

        var answers = await _world.PostConcurrentlyAsync(AirtelPath, request);

        var stored = Assert.Single(await StoredAsync(transId));
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, AirtelAcknowledgement(stored.Id, meter, transId)), a));
        Assert.Equal(TransactionStatus.Confirmed, (await _world.FinishedAsync(stored.Id)).Status);
        Assert.Single(await _world.QueryAsync(db => db.Tokens.Where(t => t.TransactionId == stored.Id).ToListAsync()));
    }

    [Fact]
    public async Task An_unknown_meter_is_answered_txnstatus_400_and_no_transaction_is_stored()
    {
        var transId = NewReference();

        var (status, body) = await _world.PostAsync(AirtelPath, Airtel("47999999990", transId));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("CMPRRES", "400", "Unknown meter number", transId, ""), (Field(body, "TYPE"), Field(body, "TXNSTATUS"), Field(body, "MESSAGE"), Field(body, "TransID"), Field(body, "TXNID")));
        Assert.Empty(await StoredAsync(transId));
    }

    public static TheoryData<string> BadInputs =>
        ["malformed XML", "DTD", "body over 64 KB", "body over 64 KB, chunked", "missing field", "wrong APIPassword", "wrong APIUser", "no credentials", "caller outside the allow-list"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_input_is_answered_as_specified_and_stores_nothing(string input)
    {
        await using var outside = await FakeProviderServer.StartAsync();
        var meter = await _world.MeterAsync();
        var transId = NewReference();
        var chunked = input.EndsWith("chunked", StringComparison.Ordinal);
        var (request, expected, outsider) = input switch
        {
            "malformed XML" => (Airtel(meter, transId)[..120], HttpStatusCode.BadRequest, false),
            "DTD" => (Airtel(meter + "&xxe;", transId, prolog: $"<!DOCTYPE COMMAND [<!ENTITY xxe SYSTEM \"{outside.Url}/entity\">]>"), HttpStatusCode.BadRequest, false),
            "body over 64 KB" => (Airtel(meter, transId, padding: 64 * 1024), HttpStatusCode.RequestEntityTooLarge, false),
            "body over 64 KB, chunked" => (Airtel(meter, transId, padding: 64 * 1024), HttpStatusCode.RequestEntityTooLarge, false),
            "missing field" => (Airtel(meter, transId, omit: "ReferenceField"), HttpStatusCode.BadRequest, false),
            "wrong APIPassword" => (Airtel(meter, transId, apiPassword: "mpm-demo-passwore"), HttpStatusCode.Unauthorized, false),
            "wrong APIUser" => (Airtel(meter, transId, apiUser: "mpm-dem0"), HttpStatusCode.Unauthorized, false),
            "no credentials" => (Airtel(meter, transId, omit: "APIPassword"), HttpStatusCode.Unauthorized, false),
            "caller outside the allow-list" => (Airtel(meter, transId), HttpStatusCode.Unauthorized, true),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        var (status, body) = await _world.RefusedAsync(AirtelPath, request, outsider, outside, chunked);

        Assert.Equal(expected, status);
        Assert.Equal(("CMPRRES", ((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture)), (Field(body, "TYPE"), Field(body, "TXNSTATUS")));
    }

    [Fact]
    public async Task A_cancelled_payment_with_no_url_configured_records_the_rollback_as_not_sent()
    {
        var meter = await _world.MeterAsync(price: 500, minimumPurchase: 5000);
        var transId = NewReference();
        await _world.PostAsync(AirtelPath, Airtel(meter, transId, amount: "1000"));
        var stored = Assert.Single(await StoredAsync(transId));

        Assert.Equal(TransactionStatus.Cancelled, (await _world.FinishedAsync(stored.Id)).Status);
        var outbox = await _world.OutboxDoneAsync(stored.Id);
        Assert.Equal(("delivered", "not sent: no URL configured"), (outbox.Status, outbox.Response));
    }

    [Theory]
    [InlineData("airtel-tz", "apiUser", "mpm-demo-password")]
    [InlineData("vodacom-tz", "brokerTlsCertificate", null)] // the demo sets no Vodacom secret
    public async Task The_settings_page_shows_the_settings_and_never_the_secrets(string plugin, string field, string? secret)
    {
        using var admin = await _world.OperatorAsync("admin");

        var page = await admin.GetStringAsync($"/Plugins/Settings/{plugin}");

        Assert.Contains(field, page);
        Assert.Contains("clientCertificate", page);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, page);
        }
    }
}
