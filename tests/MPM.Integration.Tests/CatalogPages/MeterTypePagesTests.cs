using System.Net;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class MeterTypePagesTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private static Dictionary<string, string> MeterType(string name, string phase, string maxCurrent, bool online = false) => new()
    {
        ["Input.Name"] = name, ["Input.Phase"] = phase, ["Input.MaxCurrent"] = maxCurrent, ["Input.Online"] = online ? "true" : "false",
    };

    [Fact]
    public async Task A_manager_adds_and_edits_a_meter_type()
    {
        var added = await CatalogHost.PostAsync(host.Manager, "/MeterTypes/Edit", MeterType("Three-phase smart, 100 A", "3", "100", online: true));

        CatalogHost.AssertRedirectTo(added, "/MeterTypes");
        var id = await host.ScalarAsync<long>("SELECT id FROM mpm.meter_types WHERE name = 'Three-phase smart, 100 A'");
        Assert.Equal("3 100 True", await host.ScalarAsync<string>("SELECT phase || ' ' || max_current || ' ' || initcap(online::text) FROM mpm.meter_types WHERE id = @id", ("id", id)));
        Assert.Contains("Three-phase smart, 100 A", await host.Viewer.GetStringAsync("/MeterTypes"));

        var edited = await CatalogHost.PostAsync(host.Manager, $"/MeterTypes/Edit/{id}", MeterType("Single-phase smart, 63 A", "1", "63"));

        CatalogHost.AssertRedirectTo(edited, "/MeterTypes");
        Assert.Equal("Single-phase smart, 63 A 1 63 False", await host.ScalarAsync<string>("SELECT name || ' ' || phase || ' ' || max_current || ' ' || initcap(online::text) FROM mpm.meter_types WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "meter-type.update", $"meter type {id}: Single-phase smart, 63 A"));
    }

    [Theory]
    [InlineData("Two-phase", "2", "40", "phase must be 1 or 3")]
    [InlineData("Tiny", "1", "0", "maximum current must be a whole number of amperes from 1 to 1000")]
    [InlineData("Huge", "3", "5000", "maximum current must be a whole number of amperes from 1 to 1000")]
    [InlineData("", "1", "10", "name is required")]
    [InlineData("Single-phase prepaid, 10 A", "1", "10", "a meter type named Single-phase prepaid, 10 A already exists")]
    public async Task A_bad_meter_type_is_shown_back_with_its_error_and_not_stored(string name, string phase, string maxCurrent, string error)
    {
        var before = await host.CountAsync("meter_types");

        var response = await CatalogHost.PostAsync(host.Manager, "/MeterTypes/Edit", MeterType(name, phase, maxCurrent));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, await CatalogHost.TextAsync(response));
        Assert.Equal(before, await host.CountAsync("meter_types"));
    }

    [Fact]
    public async Task A_viewer_cannot_add_a_meter_type()
    {
        var before = await host.CountAsync("meter_types");

        CatalogHost.AssertForbidden(await CatalogHost.PostAsync(host.Viewer, "/MeterTypes/Edit", MeterType("Viewer meter", "1", "10"), pageUrl: "/MeterTypes"));

        Assert.Equal(before, await host.CountAsync("meter_types"));
    }
}
