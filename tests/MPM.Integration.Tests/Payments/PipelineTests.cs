using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Integration.Tests.Support;
using MPM.Plugins.Sts.Engine;
using MPM.Sdk.Payments;
using MPM.Web.Features.Payments;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MPM.Integration.Tests.Payments;

/// <summary>DOMAIN.md's worked examples and the pipeline's guarantees, through the real pipeline on PostgreSQL.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private PipelineWorld _world = null!;

    public async Task InitializeAsync() => _world = await PipelineWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<List<AllocationRecord>> AllocationsAsync(long transactionId) =>
        _world.QueryAsync(db => db.Allocations.Where(a => a.TransactionId == transactionId).OrderBy(a => a.Id).ToListAsync());

    private Task<TokenRecord?> TokenAsync(long transactionId) =>
        _world.QueryAsync(db => db.Tokens.FirstOrDefaultAsync(t => t.TransactionId == transactionId));

    private Task<decimal> AccessDebtAsync(long meterId) =>
        _world.QueryAsync(db => db.AccessRateAccounts.Where(a => a.MeterId == meterId).Select(a => a.Debt).FirstAsync());

    [Fact]
    public async Task Access_debt_1000_paying_500_pays_500_of_it_with_no_token()
    {
        var (serial, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500), accessDebt: 1000);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 500)).TransactionId!.Value);

        Assert.Equal(TransactionStatus.Confirmed, payment.Status);
        Assert.Equal([("access-rate", 500m)], (await AllocationsAsync(payment.Id)).Select(a => (a.Type, a.Amount)));
        Assert.Equal(500m, await AccessDebtAsync(meterId));
        Assert.Null(await TokenAsync(payment.Id));
    }

    [Fact]
    public async Task Access_debt_100_paying_500_at_500_per_kwh_buys_a_token_for_0_8_kwh()
    {
        var (serial, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500), accessDebt: 100);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 500)).TransactionId!.Value);

        Assert.Equal(TransactionStatus.Confirmed, payment.Status);
        Assert.Equal([("access-rate", 100m), ("energy", 400m)], (await AllocationsAsync(payment.Id)).Select(a => (a.Type, a.Amount)));
        Assert.Equal(0m, await AccessDebtAsync(meterId));
        var token = await TokenAsync(payment.Id);
        Assert.NotNull(token);
        Assert.Matches("^[0-9]{20}$", token.Value);
        var decoded = StsTokens.Decode(token.Value, PipelineWorld.KeyOf(serial), BaseDate.Year2014);
        Assert.Equal((0, 0.8m, true), (decoded.TokenClass, decoded.Amount, decoded.CrcOk));
    }

    [Fact]
    public async Task Access_debt_1000_paying_1000_clears_it_with_no_token()
    {
        var (serial, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500), accessDebt: 1000);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1000)).TransactionId!.Value);

        Assert.Equal([("access-rate", 1000m)], (await AllocationsAsync(payment.Id)).Select(a => (a.Type, a.Amount)));
        Assert.Equal(0m, await AccessDebtAsync(meterId));
        Assert.Null(await TokenAsync(payment.Id));
    }

    [Fact]
    public async Task Overdue_rate_300_and_access_debt_100_paying_1000_at_200_per_kwh_leave_600_for_3_kwh()
    {
        var (serial, meterId, customerId) = await _world.MeterAsync(await _world.TariffAsync(200), accessDebt: 100);
        var rate = await _world.OverdueRateAsync(customerId, 300, daysAgo: 3);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1000)).TransactionId!.Value);

        var allocations = await AllocationsAsync(payment.Id);
        Assert.Equal([("asset-rate", 300m), ("access-rate", 100m), ("energy", 600m)], allocations.Select(a => (a.Type, a.Amount)));
        Assert.Equal(rate, allocations[0].AssetRateId);
        Assert.Equal(300m, await _world.QueryAsync(db => db.AssetRates.Where(r => r.Id == rate).Select(r => r.Paid).FirstAsync()));
        Assert.Equal(3.0m, (await TokenAsync(payment.Id))!.Amount);
        Assert.Equal(payment.Amount, allocations.Sum(a => a.Amount));
    }

    [Fact]
    public async Task Price_100_with_components_10_and_5_sells_at_115_per_kwh()
    {
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(100, 0, 10, 5));
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1150)).TransactionId!.Value);

        Assert.Equal(10.0m, (await TokenAsync(payment.Id))!.Amount);
        Assert.Equal(10.0m, payment.EnergyKWh);
    }

    [Fact]
    public async Task A_confirmed_payment_queues_the_payers_sms_and_the_provider_outcome()
    {
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(500));
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1000)).TransactionId!.Value);

        var sms = await _world.QueryAsync(db => db.SmsMessages.Where(m => m.TransactionId == payment.Id).ToListAsync());
        var message = Assert.Single(sms);
        Assert.Equal("+255713000002", message.Phone);
        Assert.Contains(serial, message.Body);
        Assert.Contains(SmsGrouped((await TokenAsync(payment.Id))!.Value), message.Body);
        Assert.Contains("2.0 kWh", message.Body);
        // No SMS gateway is configured yet: the message stays queued, and says why.
        await Poll.UntilAsync(async () => (await _world.QueryAsync(db => db.SmsMessages.FirstAsync(m => m.Id == message.Id))).Reason == "no SMS gateway configured", TimeSpan.FromSeconds(10), "the SMS to wait for a gateway");
        Assert.Equal(SmsStatus.Queued, (await _world.QueryAsync(db => db.SmsMessages.FirstAsync(m => m.Id == message.Id))).Status);
        // The test provider has no plugin: the outcome is recorded as not sent.
        await Poll.UntilAsync(async () => (await _world.QueryAsync(db => db.ProviderOutbox.FirstAsync(o => o.TransactionId == payment.Id))).Status == "delivered", TimeSpan.FromSeconds(10), "the provider outbox");
        Assert.Contains("not sent", (await _world.QueryAsync(db => db.ProviderOutbox.FirstAsync(o => o.TransactionId == payment.Id))).Response);
    }

    private static string SmsGrouped(string token) => string.Join('-', token.Chunk(4).Select(c => new string(c)));

    [Fact]
    public async Task The_same_reference_again_is_the_same_transaction()
    {
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(500));
        var first = await _world.PayAsync(serial, 1000, "ref-1");
        var again = await _world.PayAsync(serial, 1000, "ref-1");

        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(1, await _world.QueryAsync(db => db.Transactions.CountAsync(t => t.ProviderReference == "ref-1")));
    }

    [Fact]
    public async Task Twenty_concurrent_repeats_make_one_transaction_and_one_token()
    {
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(500));
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _world.PayAsync(serial, 1000, "ref-concurrent")));

        Assert.All(results, r => Assert.True(r.Accepted));
        Assert.Single(results.Select(r => r.TransactionId).Distinct());
        Assert.Single(results, r => !r.Duplicate);
        var payment = await _world.FinishedAsync(results[0].TransactionId!.Value);
        Assert.Equal(TransactionStatus.Confirmed, payment.Status);
        Assert.Equal(1, await _world.QueryAsync(db => db.Transactions.CountAsync(t => t.ProviderReference == "ref-concurrent")));
        Assert.Equal(1, await _world.QueryAsync(db => db.Tokens.CountAsync(t => t.TransactionId == payment.Id)));
    }

    [Fact]
    public async Task An_unknown_meter_is_refused_stores_nothing_and_logs_the_attempt()
    {
        var result = await _world.PayAsync("99999999999", 1000, "ref-unknown");

        Assert.False(result.Accepted);
        Assert.Equal(RefusalCodes.UnknownMeter, result.RefusalCode);
        Assert.Equal(0, await _world.QueryAsync(db => db.Transactions.CountAsync(t => t.ProviderReference == "ref-unknown")));
        Assert.Equal(1, await _world.QueryAsync(db => db.IntakeRefusals.CountAsync(r => r.ProviderReference == "ref-unknown" && r.ReasonCode == RefusalCodes.UnknownMeter)));
    }

    [Fact]
    public async Task A_meter_not_in_use_and_bad_amounts_are_refused()
    {
        var (serial, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500));
        Assert.Equal(RefusalCodes.InvalidAmount, (await _world.PayAsync(serial, 0)).RefusalCode);
        Assert.Equal(RefusalCodes.InvalidAmount, (await _world.PayAsync(serial, 10.001m)).RefusalCode);
        await _world.QueryAsync(db => db.Meters.Where(m => m.Id == meterId).Set(m => m.InUse, false).UpdateAsync());

        var result = await _world.PayAsync(serial, 1000);

        Assert.Equal(RefusalCodes.MeterNotInUse, result.RefusalCode);
        Assert.Equal(0, await _world.QueryAsync(db => db.Transactions.CountAsync(t => t.MeterId == meterId)));
    }

    [Fact]
    public async Task Below_the_minimum_purchase_the_payment_is_cancelled_with_nothing_allocated()
    {
        var (serial, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500, minimumPurchase: 1000), accessDebt: 200);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1100)).TransactionId!.Value);

        Assert.Equal(TransactionStatus.Cancelled, payment.Status);
        Assert.Equal("minimum purchase amount not reached", payment.Reason);
        Assert.Empty(await AllocationsAsync(payment.Id));
        Assert.Equal(200m, await AccessDebtAsync(meterId));
        Assert.Contains("could not be processed", (await _world.QueryAsync(db => db.SmsMessages.FirstAsync(m => m.TransactionId == payment.Id))).Body);
    }

    [Fact]
    public async Task A_token_generator_failing_then_recovering_is_retried_and_makes_one_token()
    {
        _world.Flaky.FailTransiently(2);
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(500), _world.FlakyManufacturer);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1000)).TransactionId!.Value);

        Assert.Equal(TransactionStatus.Confirmed, payment.Status);
        Assert.Equal(3, _world.Flaky.Calls);
        Assert.Equal(1, await _world.QueryAsync(db => db.Tokens.CountAsync(t => t.TransactionId == payment.Id)));
        Assert.Equal(2, await _world.QueryAsync(db => db.TransactionEvents.CountAsync(e => e.TransactionId == payment.Id && e.Event == "token-retry")));
    }

    [Fact]
    public async Task A_token_generator_failing_for_good_cancels_and_reverses_the_allocations()
    {
        _world.Flaky.FailForGood = true;
        var (serial, meterId, _) = await _world.MeterAsync(await _world.TariffAsync(500), _world.FlakyManufacturer, accessDebt: 300);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1000)).TransactionId!.Value);

        Assert.Equal(TransactionStatus.Cancelled, payment.Status);
        Assert.Contains("the meter is blocked at the vendor", payment.Reason);
        var ledger = await AllocationsAsync(payment.Id);
        Assert.Equal([("access-rate", 300m, false), ("energy", 700m, false), ("access-rate", -300m, true), ("energy", -700m, true)],
            ledger.Select(a => (a.Type, a.Amount, a.ReversesId is not null)));
        Assert.Equal(0m, ledger.Sum(a => a.Amount));
        Assert.Equal(300m, await AccessDebtAsync(meterId));
        Assert.Null(await TokenAsync(payment.Id));
    }

    [Fact]
    public async Task A_token_generator_down_beyond_the_bound_cancels_with_a_readable_reason()
    {
        _world.Flaky.FailTransiently(100);
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(500), _world.FlakyManufacturer);
        var payment = await _world.FinishedAsync((await _world.PayAsync(serial, 1000)).TransactionId!.Value);

        Assert.Equal(TransactionStatus.Cancelled, payment.Status);
        Assert.Equal("token generator unavailable after 4 attempts: vendor server did not answer", payment.Reason);
        Assert.Equal(4, _world.Flaky.Calls);
    }

    [Fact]
    public async Task Rest_payments_are_accepted_idempotent_and_refused_for_unknown_meters()
    {
        var (serial, _, _) = await _world.MeterAsync(await _world.TariffAsync(500));
        var client = _world.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", await _world.Factory.AddApiKeyAsync());

        var first = await client.PostAsJsonAsync("/api/v1/payments", new { reference = "rest-1", meterSerial = serial, amount = 1500, payerPhone = "+255713000009" });
        var again = await client.PostAsJsonAsync("/api/v1/payments", new { reference = "rest-1", meterSerial = serial, amount = 1500, payerPhone = "+255713000009" });
        var unknown = await client.PostAsJsonAsync("/api/v1/payments", new { reference = "rest-2", meterSerial = "00000000000", amount = 1500 });
        var missing = await client.PostAsJsonAsync("/api/v1/payments", new { reference = "rest-3", amount = 1500 });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transactionId").GetInt64();
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transactionId").GetInt64());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("unknown-meter", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("meterSerial", await missing.Content.ReadAsStringAsync());
        Assert.Equal(0, await _world.QueryAsync(db => db.Transactions.CountAsync(t => t.ProviderReference == "rest-2" || t.ProviderReference == "rest-3")));
        var payment = await _world.FinishedAsync(id);
        Assert.Equal((TransactionStatus.Confirmed, "api", 3.0m), (payment.Status, payment.Provider, payment.EnergyKWh));
    }
}

/// <summary>A payment stored by a host that died before processing it is finished by the next host, exactly once.</summary>
public sealed class PipelineRecoveryTests
{
    [Fact]
    public async Task A_payment_stored_before_a_crash_is_processed_by_the_next_host()
    {
        await using var world = await PipelineWorld.CreateAsync(workers: false);
        var (serial, _, _) = await world.MeterAsync(await world.TariffAsync(500));
        var stored = await world.PayAsync(serial, 1000, "before-crash");
        Assert.Equal(TransactionStatus.Received, (await world.TransactionAsync(stored.TransactionId!.Value)).Status);

        await using var next = world.NewHost();
        _ = next.Services; // starts the host and its workers
        var payment = await world.FinishedAsync(stored.TransactionId.Value);

        Assert.Equal(TransactionStatus.Confirmed, payment.Status);
        Assert.Equal(1, await world.QueryAsync(db => db.Tokens.CountAsync(t => t.TransactionId == payment.Id)));
    }

    [Fact]
    public async Task A_payment_allocated_by_a_host_that_died_before_its_token_gets_one_token()
    {
        await using var world = await PipelineWorld.CreateAsync(workers: false);
        var (serial, meterId, _) = await world.MeterAsync(await world.TariffAsync(500), accessDebt: 100);
        var stored = await world.PayAsync(serial, 1000, "mid-crash");
        // What a host leaves behind when it dies between allocating and confirming: allocations made, a claim that expired.
        await world.QueryAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            await db.InsertAsync(new AllocationRecord { TransactionId = stored.TransactionId!.Value, Type = "access-rate", Amount = 100, Description = "access rate", CreatedAt = now });
            await db.InsertAsync(new AllocationRecord { TransactionId = stored.TransactionId.Value, Type = "energy", Amount = 900, Description = "1.8 kWh", CreatedAt = now });
            await db.AccessRateAccounts.Where(a => a.MeterId == meterId).Set(a => a.Debt, 0m).UpdateAsync();
            return await db.Transactions.Where(t => t.Id == stored.TransactionId.Value)
                .Set(t => t.Status, TransactionStatus.Processing).Set(t => t.EnergyKWh, 1.8m).Set(t => t.ClaimedUntil, now.AddMinutes(-1))
                .UpdateAsync();
        });

        await using var next = world.NewHost();
        _ = next.Services;
        var payment = await world.FinishedAsync(stored.TransactionId!.Value);

        Assert.Equal(TransactionStatus.Confirmed, payment.Status);
        Assert.Equal(1.8m, (await world.QueryAsync(db => db.Tokens.FirstAsync(t => t.TransactionId == payment.Id))).Amount);
        Assert.Equal(2, await world.QueryAsync(db => db.Allocations.CountAsync(a => a.TransactionId == payment.Id)));
    }

    [Fact]
    public async Task Payments_of_one_payer_in_one_batch_pay_the_debts_in_the_order_they_arrived()
    {
        await using var world = await PipelineWorld.CreateAsync(workers: false);
        var (serial, meterId, customerId) = await world.MeterAsync(await world.TariffAsync(100), accessDebt: 100);
        var rate = await world.OverdueRateAsync(customerId, 300, daysAgo: 3);
        var first = (await world.PayAsync(serial, 200)).TransactionId!.Value;
        var second = (await world.PayAsync(serial, 500)).TransactionId!.Value;

        await using (var scope = world.Factory.Services.CreateAsyncScope())
        {
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<PaymentProcessor>().ProcessNextAsync(CancellationToken.None));
        }

        var ledger = await world.QueryAsync(db => db.Allocations.Where(a => a.TransactionId == first || a.TransactionId == second).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([(first, "asset-rate", 200m), (second, "asset-rate", 100m), (second, "access-rate", 100m), (second, "energy", 300m)],
            ledger.Select(a => (a.TransactionId, a.Type, a.Amount)));
        Assert.Equal(300m, await world.QueryAsync(db => db.AssetRates.Where(r => r.Id == rate).Select(r => r.Paid).FirstAsync()));
        Assert.Equal(0m, await world.QueryAsync(db => db.AccessRateAccounts.Where(a => a.MeterId == meterId).Select(a => a.Debt).FirstAsync()));
        Assert.Equal((TransactionStatus.Confirmed, 0m), await world.QueryAsync(db => db.Transactions.Where(t => t.Id == first).Select(t => ValueTuple.Create(t.Status, t.EnergyKWh!.Value)).FirstAsync()));
        Assert.Equal(3.0m, await world.QueryAsync(db => db.Tokens.Where(t => t.TransactionId == second).Select(t => t.Amount).FirstAsync()));
        Assert.Equal(2, await world.QueryAsync(db => db.SmsMessages.CountAsync(m => m.TransactionId == first || m.TransactionId == second)));
        Assert.Equal(2, await world.QueryAsync(db => db.ProviderOutbox.CountAsync(o => o.TransactionId == first || o.TransactionId == second)));
    }
}
