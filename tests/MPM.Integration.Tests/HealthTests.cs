using System.Net;
using MPM.Integration.Tests.Support;
using Xunit;

namespace MPM.Integration.Tests;

public sealed class HealthTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    [Fact]
    public async Task LiveAnswersAnonymously()
    {
        var response = await host.Factory.CreateBrowserLikeClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadyAnswersAnonymouslyWhenEveryMigrationIsApplied()
    {
        var response = await host.Factory.CreateBrowserLikeClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadyIsUnhealthyWhileAMigrationIsMissing()
    {
        var client = host.Factory.CreateBrowserLikeClient();
        var name = await host.ScalarAsync<string>("SELECT name FROM mpm_migrations.applied WHERE component = 'core' AND version = 1");
        Assert.NotNull(name);
        await host.ExecuteAsync("DELETE FROM mpm_migrations.applied WHERE component = 'core' AND version = 1");
        try
        {
            var response = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await host.ExecuteAsync("INSERT INTO mpm_migrations.applied (component, version, name) VALUES ('core', 1, $1)", name);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }
}
