using System.Net;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class CustomerGroupPagesTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private static Dictionary<string, string> Named(string name) => new() { ["Name"] = name };

    [Theory]
    [InlineData("ConnectionType", "connection_types", "connection-type")]
    [InlineData("ConnectionGroup", "connection_groups", "connection-group")]
    public async Task A_manager_adds_and_renames_customer_groups_with_unique_names(string kind, string table, string action)
    {
        var added = await CatalogHost.PostAsync(host.Manager, $"/CustomerGroups/Edit/{kind}", Named("Household"));

        CatalogHost.AssertRedirectTo(added, "/CustomerGroups");
        var id = await host.ScalarAsync<long>($"SELECT id FROM mpm.{table} WHERE name = 'Household'");
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", $"{action}.create", $"{action.Replace('-', ' ')} {id}: Household"));
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, $"/CustomerGroups/Edit/{kind}", Named("Business")), "/CustomerGroups");
        Assert.Contains("value=\"Household\"", await host.Manager.GetStringAsync($"/CustomerGroups/Edit/{kind}/{id}"));

        var renamed = await CatalogHost.PostAsync(host.Manager, $"/CustomerGroups/Edit/{kind}/{id}", Named("Residential"));

        CatalogHost.AssertRedirectTo(renamed, "/CustomerGroups");
        Assert.Equal("Residential", await host.ScalarAsync<string>($"SELECT name FROM mpm.{table} WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", $"{action}.rename", $"{action.Replace('-', ' ')} {id}: Residential"));
        Assert.Contains("Residential", await host.Viewer.GetStringAsync("/CustomerGroups"));

        var count = await host.CountAsync(table);
        var duplicate = await CatalogHost.PostAsync(host.Manager, $"/CustomerGroups/Edit/{kind}", Named("Business"));
        var duplicateRename = await CatalogHost.PostAsync(host.Manager, $"/CustomerGroups/Edit/{kind}/{id}", Named("Business"));
        var blank = await CatalogHost.PostAsync(host.Manager, $"/CustomerGroups/Edit/{kind}", Named("  "));

        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Contains("named Business already exists", await CatalogHost.TextAsync(duplicate));
        Assert.Contains("named Business already exists", await CatalogHost.TextAsync(duplicateRename));
        Assert.Contains("name is required", await CatalogHost.TextAsync(blank));
        Assert.Equal(count, await host.CountAsync(table));
        Assert.Equal("Residential", await host.ScalarAsync<string>($"SELECT name FROM mpm.{table} WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task Unknown_kinds_and_ids_are_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Manager.GetAsync("/CustomerGroups/Edit/Tribe")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Manager.GetAsync("/CustomerGroups/Edit/ConnectionType/424242")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_cannot_add_or_rename_a_customer_group()
    {
        var before = await host.CountAsync("connection_types");

        var response = await CatalogHost.PostAsync(host.Viewer, "/CustomerGroups/Edit/ConnectionType", Named("Viewer group"), pageUrl: "/CustomerGroups");

        CatalogHost.AssertForbidden(response);
        Assert.Equal(before, await host.CountAsync("connection_types"));
        Assert.DoesNotContain("/CustomerGroups/Edit", await host.Viewer.GetStringAsync("/CustomerGroups"));
    }
}
