using System.Security.Cryptography;
using System.Text;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Integration.Tests.Payments;
using MPM.Integration.Tests.Support;
using MPM.Web.Features.Operator;
using MPM.Web.Settings;

namespace MPM.Integration.Tests.Sms;

/// <summary>A pipeline world on a real port, a fake gateway on loopback, and the chosen gateway plugin pointed at it.</summary>
public sealed class SmsWorld : IAsyncDisposable
{
    public const string AtSecret = "at-callback-secret-7f3a";
    public const string AtApiKey = "atsk_test_key";
    public const string HttpSecret = "android-webhook-secret-91c2";
    public const string HttpAuth = "Bearer android-app-token";

    private SmsWorld(PipelineWorld world, FakeGateway gateway)
    {
        World = world;
        Gateway = gateway;
        Http = new HttpClient { BaseAddress = new Uri(world.BaseUrl!) };
    }

    public PipelineWorld World { get; }

    public FakeGateway Gateway { get; }

    /// <summary>A plain client for the host's plugin endpoints, as a gateway would call them.</summary>
    public HttpClient Http { get; }

    /// <param name="gatewayId">"africastalking" or "sms-http": the plugin configured and chosen as the operator's gateway.</param>
    /// <param name="choose">Also make it the operator's gateway (operator setting sms.gateway); otherwise only its settings are saved.</param>
    public static async Task<SmsWorld> CreateAsync(string gatewayId, bool choose = true)
    {
        var gateway = await FakeGateway.StartAsync();
        var world = await PipelineWorld.CreateAsync(realPort: true);
        var sms = new SmsWorld(world, gateway);
        await sms.ConfigureAsync(gatewayId, choose);
        return sms;
    }

    private async Task ConfigureAsync(string gatewayId, bool choose)
    {
        await using var scope = World.Factory.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<PluginSettingsStore>();
        Dictionary<string, string?> settings = gatewayId == "africastalking"
            ? new() { ["baseUrl"] = Gateway.BaseUrl, ["username"] = "mpm-test", ["apiKey"] = AtApiKey, ["from"] = "MPM", ["callbackSecret"] = AtSecret }
            : new() { ["sendUrl"] = $"{Gateway.BaseUrl}/message", ["authHeaderName"] = "Authorization", ["authHeaderValue"] = HttpAuth, ["webhookSecret"] = HttpSecret };
        var errors = await store.SaveAsync(gatewayId, PluginSettingsStore.PluginScope, settings, "test");
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Values));
        }

        if (!choose)
        {
            return;
        }

        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        await db.InsertOrReplaceAsync(new OperatorSettingRecord { Key = "sms.gateway", Value = gatewayId });
        scope.ServiceProvider.GetRequiredService<OperatorProfile>().Invalidate();
    }

    public Task<List<SmsMessageRecord>> MessagesAsync() => World.QueryAsync(db => db.SmsMessages.OrderBy(m => m.Id).ToListAsync());

    public Task<SmsMessageRecord> MessageAsync(long id) => World.QueryAsync(db => db.SmsMessages.FirstAsync(m => m.Id == id));

    /// <summary>Waits until the message with this id has the status.</summary>
    public async Task<SmsMessageRecord> StatusAsync(Func<SmsMessageRecord, bool> which, string status, int timeoutSeconds = 30)
    {
        SmsMessageRecord? found = null;
        await Poll.UntilAsync(async () => (found = (await MessagesAsync()).FirstOrDefault(which)) is { } m && m.Status == status,
            TimeSpan.FromSeconds(timeoutSeconds), $"an SMS to become {status} (now {found?.Status ?? "absent"}: {found?.Reason})");
        return found!;
    }

    /// <summary>Posts a form to an Africa's Talking callback, with the secret in the URL when given.</summary>
    public Task<HttpResponseMessage> AtCallbackAsync(string endpoint, Dictionary<string, string> fields, string? key = AtSecret) =>
        Http.PostAsync($"/plugins/africastalking/{endpoint}{(key is null ? "" : $"?key={Uri.EscapeDataString(key)}")}", new FormUrlEncodedContent(fields));

    /// <summary>Posts JSON to the sms-http webhook, signed with the secret (or the given signature).</summary>
    public Task<HttpResponseMessage> HttpWebhookAsync(string json, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/plugins/sms-http/incoming") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature", signature ?? Sign(json, HttpSecret));
        return Http.SendAsync(request);
    }

    public static string Sign(string body, string secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>Africa's Talking's answer for one recipient.</summary>
    public static string AtAnswer(int statusCode, string status, string? messageId) =>
        $$$"""{"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[{"statusCode":{{{statusCode}}},"number":"+255713000002","status":"{{{status}}}","cost":"KES 0.8000","messageId":{{{(messageId is null ? "null" : $"\"{messageId}\"")}}}}]}}""";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await World.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
