using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MPM.Data;
using MPM.Integration.Tests.Payments;
using MPM.Integration.Tests.Sms;
using MPM.Integration.Tests.Support;
using MPM.Web.Features.Operator;
using MPM.Web.Security;
using MPM.Web.Settings;
using Xunit;

namespace MPM.Integration.Tests.Operations;

/// <summary>Every line the pipeline logs for a payment — intake, allocation, token, outcome, provider outbox, SMS — carries its transaction id.</summary>
public sealed class PipelineLogTests
{
    [Fact]
    public async Task Every_pipeline_line_of_a_processed_payment_carries_its_transaction_id()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var world = await PipelineWorld.CreateAsync(workers: false);
        var capture = new CapturingLoggerProvider();
        // The host that does the work logs everything from Debug up into the capture.
        await using var host = world.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Pipeline:Enabled", "true");
            b.ConfigureLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Debug));
        });
        string key;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var errors = await scope.ServiceProvider.GetRequiredService<PluginSettingsStore>().SaveAsync("sms-http", PluginSettingsStore.PluginScope,
                new Dictionary<string, string?> { ["sendUrl"] = $"{gateway.BaseUrl}/message", ["webhookSecret"] = "log-test-secret" }, "test");
            Assert.Empty(errors);
            await scope.ServiceProvider.GetRequiredService<MpmDb>().InsertOrReplaceAsync(new OperatorSettingRecord { Key = "sms.gateway", Value = "sms-http" });
            scope.ServiceProvider.GetRequiredService<OperatorProfile>().Invalidate();
            key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("log test", "test");
        }

        var (serial, _, _) = await world.MeterAsync(await world.TariffAsync(500));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var reference = $"log-{Guid.NewGuid():N}";
        var payment = new { reference, meterSerial = serial, amount = 5000m, payerPhone = "+255713000009" };

        var first = await client.PostAsJsonAsync("/api/v1/payments", payment);
        var again = await client.PostAsJsonAsync("/api/v1/payments", payment);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, again.StatusCode));
        var id = JsonSerializer.Deserialize<JsonElement>(await first.Content.ReadAsStringAsync()).GetProperty("transactionId").GetInt64();
        await Poll.UntilAsync(() => world.QueryAsync(async db =>
                await db.SmsMessages.AnyAsync(m => m.TransactionId == id && m.Status == SmsStatus.Sent) && await db.ProviderOutbox.AnyAsync(o => o.TransactionId == id && o.Status == "delivered")),
            TimeSpan.FromSeconds(60), "the payment's SMS to be sent and its outcome told");
        await Poll.UntilAsync(() => Task.FromResult(Pipeline(capture).Any(l => l.Message.StartsWith($"SMS ", StringComparison.Ordinal) && l.Message.Contains(" sent through sms-http", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), "the SMS line to be logged");

        var lines = Pipeline(capture);
        Assert.All(lines, line => Assert.True(line.Properties.TryGetValue("TransactionId", out var value) && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == id,
            $"[{line.Category}] {line.Message} has no TransactionId {id}"));
        string[] steps = [$"Payment {id} received", $"Payment {id} repeated", $"Payment {id} allocated", $"Payment {id}: sts made the token", $"Payment {id} confirmed", $"Payment {id}: api told the outcome", $"SMS "];
        Assert.All(steps, step => Assert.Contains(lines, l => l.Message.StartsWith(step, StringComparison.Ordinal)));
    }

    /// <summary>The lines of the pipeline's classes and of the plugins it calls (token generator, SMS gateway).</summary>
    private static List<CapturedLine> Pipeline(CapturingLoggerProvider capture) => capture.Lines
        .Where(l => l.Category.StartsWith("MPM.Web.Features.Payments.", StringComparison.Ordinal)
            || l.Category.StartsWith("MPM.Plugins.Sts", StringComparison.Ordinal) || l.Category.StartsWith("MPM.Plugins.SmsHttp", StringComparison.Ordinal))
        .ToList();
}
