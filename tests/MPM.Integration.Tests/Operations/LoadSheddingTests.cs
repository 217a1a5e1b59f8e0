using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MPM.Integration.Tests.Support;
using MPM.Sdk.Payments;
using MPM.Web.Features.Payments;
using MPM.Web.Security;
using Xunit;

namespace MPM.Integration.Tests.Operations;

/// <summary>
/// Over its concurrency limit and queue, the host answers machine traffic (/api, /plugins) 503 with Retry-After instead of
/// taking more; health, /metrics and pages stay reachable. Deterministic: a gate holds the requests inside the handler.
/// </summary>
public sealed class LoadSheddingTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    /// <summary>Holds every payment intake until opened, and says when one is held.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task PassAsync(CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
        }

        public void Open() => _open.TrySetResult();
    }

    /// <summary>The real intake behind the gate.</summary>
    private sealed class GatedIntake(Gate gate, IPaymentIntake inner) : IPaymentIntake
    {
        public async Task<IntakeResult> SubmitAsync(IncomingPayment payment, CancellationToken cancellationToken = default)
        {
            await gate.PassAsync(cancellationToken);
            return await inner.SubmitAsync(payment, cancellationToken);
        }
    }

    private static HttpRequestMessage Payment(string key, string reference)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments")
        {
            Content = JsonContent.Create(new { reference, meterSerial = "00000000000", amount = 1000, payerPhone = "+255700000001" }),
        };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    [Fact]
    public async Task BeyondTheLimitAndQueueMachineTrafficGets503WhileHealthMetricsAndPagesAnswer()
    {
        var gate = new Gate();
        using var limited = host.Factory.WithWebHostBuilder(b => b
            .UseSetting("RateLimits:ConcurrentRequests", "1")
            .UseSetting("RateLimits:QueueLength", "1")
            .UseSetting("RateLimits:ShedRetryAfterSeconds", "7")
            .ConfigureTestServices(s => s.AddScoped<IPaymentIntake>(sp => new GatedIntake(gate, ActivatorUtilities.CreateInstance<PaymentIntake>(sp)))));
        var key = await host.Factory.AddApiKeyAsync("shedding");
        var client = limited.CreateClient(new() { AllowAutoRedirect = false });
        var shedding = limited.Services.GetRequiredService<LoadShedding>();

        var held = client.SendAsync(Payment(key, "held"));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = client.SendAsync(Payment(key, "queued"));
        await Poll.UntilAsync(() => Task.FromResult(shedding.Statistics.CurrentQueuedCount == 1), TimeSpan.FromSeconds(30), "the second payment to wait in the queue");

        var refused = await client.SendAsync(Payment(key, "refused"));
        var plugin = await client.GetAsync("/plugins/hello/greeting");
        var live = await client.GetAsync("/health/live");
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Add("X-Api-Key", key);
        var metrics = await client.SendAsync(scrape);
        var login = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The server is busy, try again in 7 seconds.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, plugin.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), plugin.Headers.RetryAfter?.Delta);
        Assert.Equal("The server is busy, try again in 7 seconds.", await plugin.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, metrics.StatusCode, login.StatusCode));
        Assert.False(held.IsCompleted);
        Assert.False(queued.IsCompleted);

        // Opened, the held and the queued payments go through the real intake (which refuses the unknown meter), and the
        // host takes new requests again.
        gate.Open();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await held).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await queued).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.SendAsync(Payment(key, "after"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/plugins/hello/greeting")).StatusCode);
    }

    [Theory]
    [InlineData("ConcurrentRequests", "0")]
    [InlineData("QueueLength", "-1")]
    public void ANonsenseLimitStopsTheHostAtStart(string setting, string value)
    {
        using var broken = host.Factory.WithWebHostBuilder(b => b.UseSetting($"RateLimits:{setting}", value));

        Assert.Contains(StartFailure.Messages(broken), m => m.Contains($"RateLimits:{setting} must be at least", StringComparison.Ordinal));
    }
}
