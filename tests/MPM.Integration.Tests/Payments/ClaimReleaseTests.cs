using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Integration.Tests.Support;
using MPM.Web.Features.Payments;
using Xunit;

namespace MPM.Integration.Tests.Payments;

/// <summary>Two hosts on one database: a host that stops gracefully hands its unfinished claims to the other at once.</summary>
public sealed class ClaimReleaseTests
{
    [Fact]
    public async Task AHostStoppingGracefullyReleasesItsClaimsAndAnotherHostFinishesThePaymentAtOnce()
    {
        await using var world = await PipelineWorld.CreateAsync();
        var tariff = await world.TariffAsync(500);
        var (serial, _, _) = await world.MeterAsync(tariff, manufacturer: world.FlakyManufacturer);
        world.Flaky.HoldUntilStopped();
        var first = world.Factory.Services.GetRequiredService<PipelineClaims>();
        var id = (await world.PayAsync(serial, 5000)).TransactionId!.Value;
        await world.Flaky.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(first.Host, await world.Database.ScalarAsync<Guid>($"SELECT claimed_by FROM mpm.transactions WHERE id = {id}"));

        // The second host is running (its workers look for due work) while the first stops gracefully mid-token.
        await using var second = world.NewHost();
        var secondHost = second.Services.GetRequiredService<PipelineClaims>().Host;
        Assert.NotEqual(first.Host, secondHost);
        await world.Factory.DisposeAsync();

        // Released at once, though the lease (60 s) would have held it for most of a minute: no longer the first host's,
        // and either free or already taken by the second.
        Assert.Equal(0L, await world.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM mpm.transactions WHERE id = {id} AND (claimed_by = '{first.Host}' OR claimed_until > now() AND claimed_by IS DISTINCT FROM '{secondHost}')"));
        await Poll.UntilAsync(async () => await world.Database.ScalarAsync<string>($"SELECT status FROM mpm.transactions WHERE id = {id}") == TransactionStatus.Confirmed,
            TimeSpan.FromSeconds(30), "the second host to finish the payment");
        Assert.Equal(1L, await world.Database.ScalarAsync<long>($"SELECT count(*) FROM mpm.tokens WHERE transaction_id = {id}"));
    }

    [Fact]
    public async Task ALeaseShorterThanABatchCanTakeStopsTheHostAtStart()
    {
        await using var world = await PipelineWorld.CreateAsync(workers: false);
        using var broken = world.Factory.WithWebHostBuilder(b => b.UseSetting("Pipeline:Enabled", "true").UseSetting("Pipeline:ClaimLease", "00:00:05"));

        Assert.Contains(StartFailure.Messages(broken), m => m.Contains("Pipeline:ClaimLease must be at least 30 s", StringComparison.Ordinal));
    }
}
