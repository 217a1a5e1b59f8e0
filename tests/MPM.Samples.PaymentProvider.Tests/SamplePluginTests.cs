using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Plugins.Providers.Tests.Support;
using Xunit;

namespace MPM.Samples.PaymentProvider.Tests;

/// <summary>A host listing the sample plugin (as the README's walkthrough does), with its secret and a callback server.</summary>
public sealed class SampleWorld : IAsyncLifetime
{
    public const string Secret = "whsec_sample_test_secret";

    public ProviderWorld World { get; private set; } = null!;

    public FakeProviderServer Callbacks { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var folder = Directory.CreateTempSubdirectory("mpm-sample-pay-").FullName;
        var pluginsFile = Path.Combine(folder, "plugins.json");
        // The shipped plugins.json plus the sample's entry: step 4 of the walkthrough.
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "plugins.json"));
        File.WriteAllText(pluginsFile, shipped.Replace("\"plugins\": [", "\"plugins\": [\n    { \"id\": \"sample-pay\", \"path\": \"MPM.Samples.PaymentProvider\", \"enabled\": true },", StringComparison.Ordinal));
        Callbacks = await FakeProviderServer.StartAsync();
        World = await ProviderWorld.CreateAsync(new() { ["sample-pay"] = new() { ["webhookSecret"] = Secret, ["callbackUrl"] = Callbacks.Url, ["currency"] = "TZS" } }, pluginsFile);
    }

    public async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await Callbacks.DisposeAsync();
    }
}

public sealed class SamplePluginTests(SampleWorld fixture) : IClassFixture<SampleWorld>
{
    private const string Path = "/plugins/sample-pay/webhook";
    private readonly ProviderWorld _world = fixture.World;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json, string? secret = SampleWorld.Secret, DateTimeOffset? at = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_world.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        if (secret is not null)
        {
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, Encoding.UTF8.GetBytes(json)));
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Payment(string id, string meter, string amount = "4500.00") =>
        $"{{\"id\":\"{id}\",\"meter\":\"{meter}\",\"amount\":{amount},\"currency\":\"TZS\",\"phone\":\"+255700000001\"}}";

    private Task<List<TransactionRecord>> StoredAsync(string id) =>
        _world.QueryAsync(db => db.Transactions.Where(t => t.Provider == "sample-pay" && t.ProviderReference == id).ToListAsync());

    [Fact]
    public async Task A_signed_payment_is_accepted_confirmed_with_a_token_and_the_signed_callback_is_sent()
    {
        var meter = await _world.MeterAsync(price: 500);
        var id = $"pay-{Guid.NewGuid():N}";

        var (status, body) = await PostAsync(Payment(id, meter));

        Assert.Equal(HttpStatusCode.OK, status);
        var stored = Assert.Single(await StoredAsync(id));
        Assert.Equal($"{{\"status\":\"accepted\",\"transactionId\":{stored.Id}}}", body);
        Assert.Equal(TransactionStatus.Confirmed, (await _world.FinishedAsync(stored.Id)).Status);
        Assert.Equal(9.0m, (await _world.QueryAsync(db => db.Tokens.FirstAsync(t => t.TransactionId == stored.Id))).Amount);
        var outbox = await _world.OutboxDoneAsync(stored.Id);
        Assert.Equal("delivered", outbox.Status);
        var callback = Assert.Single(fixture.Callbacks.Received, r => r.Body.Contains(id, StringComparison.Ordinal));
        using var json = JsonDocument.Parse(callback.Body);
        Assert.Equal(("confirmed", stored.Id), (json.RootElement.GetProperty("status").GetString(), json.RootElement.GetProperty("transactionId").GetInt64()));
    }

    [Fact]
    public async Task A_repeated_id_gets_the_same_answer_and_no_second_transaction()
    {
        var meter = await _world.MeterAsync();
        var id = $"pay-{Guid.NewGuid():N}";

        var first = await PostAsync(Payment(id, meter));
        var again = await PostAsync(Payment(id, meter, amount: "9999"));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first, again);
        Assert.Equal(4500m, Assert.Single(await StoredAsync(id)).Amount);
    }

    [Fact]
    public async Task An_unknown_meter_is_refused_422_and_no_transaction_is_stored()
    {
        var id = $"pay-{Guid.NewGuid():N}";

        var (status, body) = await PostAsync(Payment(id, "47999999990"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("\"code\":\"unknown-meter\"", body);
        Assert.Empty(await StoredAsync(id));
    }

    [Theory]
    [InlineData("wrong secret", HttpStatusCode.Unauthorized)]
    [InlineData("no signature", HttpStatusCode.Unauthorized)]
    [InlineData("old timestamp", HttpStatusCode.Unauthorized)]
    [InlineData("not JSON", HttpStatusCode.BadRequest)]
    [InlineData("missing field", HttpStatusCode.BadRequest)]
    [InlineData("body over 64 KB", HttpStatusCode.RequestEntityTooLarge)]
    public async Task A_bad_request_is_refused_and_stores_nothing(string input, HttpStatusCode expected)
    {
        var meter = await _world.MeterAsync();
        var id = $"pay-{Guid.NewGuid():N}";
        var before = await _world.StoredCountAsync();

        var (status, _) = input switch
        {
            "wrong secret" => await PostAsync(Payment(id, meter), secret: "whsec_guess"),
            "no signature" => await PostAsync(Payment(id, meter), secret: null),
            "old timestamp" => await PostAsync(Payment(id, meter), at: DateTimeOffset.UtcNow.AddMinutes(-10)),
            "not JSON" => await PostAsync("{\"id\":"),
            "missing field" => await PostAsync($"{{\"id\":\"{id}\",\"amount\":1000}}"),
            "body over 64 KB" => await PostAsync(Payment(id, meter)[..^1] + ",\"note\":\"" + new string('x', 64 * 1024) + "\"}"),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };

        Assert.Equal(expected, status);
        Assert.Equal(before, await _world.StoredCountAsync());
        Assert.Empty(await StoredAsync(id));
    }
}
