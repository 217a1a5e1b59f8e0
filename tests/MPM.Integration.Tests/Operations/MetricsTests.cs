using System.Globalization;
using System.Net;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Integration.Tests.Payments;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Operations;

/// <summary>The host serving /metrics over real HTTP, on a database the pipeline world filled.</summary>
public sealed class MetricsHost(TestDatabase database, string? allowAnonymousFrom) : MpmWebFactory(database)
{
    public const string BearerToken = "scrape-token-4d1f9a";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Pipeline:Enabled", "false");
        builder.UseSetting("Metrics:BearerToken", BearerToken);
        builder.UseSetting("Metrics:AllowAnonymousFrom", allowAnonymousFrom ?? "");
    }
}

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_payments_by_outcome_the_lag_of_unfinished_ones_the_outbox_and_sms_and_need_a_credential()
    {
        await using var world = await PipelineWorld.CreateAsync();
        var tariff = await world.TariffAsync(500, minimumPurchase: 2000);
        var (serial, meterId, _) = await world.MeterAsync(tariff);
        var confirmed = (await world.PayAsync(serial, 5000, provider: "metrics-test")).TransactionId!.Value;
        var cancelled = (await world.PayAsync(serial, 1000, provider: "metrics-test")).TransactionId!.Value; // under the minimum purchase
        Assert.Equal(TransactionStatus.Confirmed, (await world.FinishedAsync(confirmed)).Status);
        Assert.Equal(TransactionStatus.Cancelled, (await world.FinishedAsync(cancelled)).Status);
        await Support.Poll.UntilAsync(() => world.QueryAsync(db => db.ProviderOutbox.AllAsync(o => o.Status != "pending")), TimeSpan.FromSeconds(60), "the outbox to be done");
        // A payment received an hour ago and not yet due for processing (the workers leave it alone): the lag is at least an hour.
        await world.Database.ScalarAsync<long>($$"""
            INSERT INTO mpm.transactions (provider, provider_reference, meter_id, meter_serial, customer_id, village_id, mini_grid_id, cluster_id, amount, currency, raw_data, status, next_attempt_at, received_at)
            SELECT 'metrics-test', 'stuck-1', m.id, m.serial_number, m.customer_id, m.village_id, v.mini_grid_id, g.cluster_id, 300, 'TZS', '{}', 'received', now() + interval '1 day', now() - interval '1 hour'
            FROM mpm.meters m JOIN mpm.villages v ON v.id = m.village_id JOIN mpm.mini_grids g ON g.id = v.mini_grid_id WHERE m.id = {{meterId}} RETURNING id
            """);

        await using var host = new MetricsHost(world.Database, allowAnonymousFrom: null);
        using var http = new HttpClient { BaseAddress = new Uri(host.StartOnRealPort()) };
        var key = await host.AddApiKeyAsync("prometheus");

        var anonymous = await http.GetAsync("/metrics");
        var wrongToken = await SendAsync(http, "Authorization", "Bearer not-the-token");
        var wrongKey = await SendAsync(http, "X-Api-Key", "mpm_00000000_nope");
        var byToken = await SendAsync(http, "Authorization", $"Bearer {MetricsHost.BearerToken}");
        var byKey = await SendAsync(http, "X-Api-Key", key);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (anonymous.StatusCode, wrongToken.StatusCode, wrongKey.StatusCode));
        Assert.Equal("Bearer realm=\"metrics\"", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (byToken.StatusCode, byKey.StatusCode));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", byToken.Content.Headers.ContentType?.ToString());
        var text = await byToken.Content.ReadAsStringAsync();
        var samples = Parse(text);
        Assert.Equal(3m, samples["mpm_payments_received_total{provider=\"metrics-test\"}"]);
        Assert.Equal(1m, samples["mpm_payments_confirmed_total{provider=\"metrics-test\"}"]);
        Assert.Equal(1m, samples["mpm_payments_cancelled_total{provider=\"metrics-test\"}"]);
        Assert.Equal(5000m, samples["mpm_payments_confirmed_amount_total{provider=\"metrics-test\"}"]);
        Assert.Equal((1m, 0m), (samples["mpm_payments_unfinished{status=\"received\"}"], samples["mpm_payments_unfinished{status=\"processing\"}"]));
        Assert.InRange(samples["mpm_payments_processing_lag_seconds"], 3600m, 86400m);
        Assert.Equal(1m, samples["mpm_tokens_total"]);
        Assert.Equal(2m, samples["mpm_provider_outbox{provider=\"metrics-test\",status=\"delivered\"}"]);
        Assert.Equal(0m, samples["mpm_provider_outbox_backlog"]);
        Assert.Equal(2m, samples["mpm_sms_messages{direction=\"out\",status=\"queued\"}"]); // no SMS gateway chosen: they wait
        Assert.True(samples["mpm_sms_oldest_queued_seconds"] >= 0);
        Assert.Equal(1m, samples["mpm_database_up"]);
        Assert.Equal(1m, samples["mpm_plugin_up{plugin=\"sts\",status=\"active\"}"]);
        // Every sample belongs to a family announced with HELP and TYPE.
        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        Assert.All(samples.Keys, name => Assert.Contains(name.Split('{')[0], families));
        Assert.Equal(families.Count, text.Split('\n').Count(l => l.StartsWith("# HELP ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Anonymous_scrapes_are_allowed_only_from_the_configured_addresses()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var loopback = new MetricsHost(database, allowAnonymousFrom: "10.20.0.0/16, 127.0.0.1");
        await using var elsewhere = new MetricsHost(database, allowAnonymousFrom: "10.20.0.0/16, ::2");
        using var allowed = new HttpClient { BaseAddress = new Uri(loopback.StartOnRealPort()) };
        using var refused = new HttpClient { BaseAddress = new Uri(elsewhere.StartOnRealPort()) };

        var fromLoopback = await allowed.GetAsync("/metrics");
        var notListed = await refused.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, fromLoopback.StatusCode);
        Assert.Equal(0m, Parse(await fromLoopback.Content.ReadAsStringAsync())["mpm_payments_processing_lag_seconds"]);
        Assert.Equal(HttpStatusCode.Unauthorized, notListed.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation(header, value);
        return http.SendAsync(request);
    }

    /// <summary>Sample lines ("name{labels} value") by name with labels.</summary>
    private static Dictionary<string, decimal> Parse(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => (Name: l[..l.LastIndexOf(' ')], Value: decimal.Parse(l[(l.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture)))
        .ToDictionary(s => s.Name, s => s.Value);
}
