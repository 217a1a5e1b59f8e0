using System.Net;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

public sealed class PlacePagesTests(CatalogHost host) : IClassFixture<CatalogHost>
{
    private const string Area = """{"type":"Polygon","coordinates":[[[36.60,-3.30],[36.80,-3.30],[36.80,-3.50],[36.60,-3.50],[36.60,-3.30]]]}""";

    private static Dictionary<string, string> Cluster(string name, string latitude = "-3.386900", string longitude = "36.682800", string area = "", string manager = "Amina Juma") => new()
    {
        ["Input.Name"] = name,
        ["Input.ManagerName"] = manager,
        ["Input.Latitude"] = latitude,
        ["Input.Longitude"] = longitude,
        ["Input.Area"] = area,
    };

    private static Dictionary<string, string> Place(string parentField, long parentId, string name, string latitude = "-3.40", string longitude = "36.70") => new()
    {
        ["Input.Name"] = name,
        [parentField] = parentId.ToString(),
        ["Input.Latitude"] = latitude,
        ["Input.Longitude"] = longitude,
    };

    private Task<long> IdOfAsync(string table, string name) => host.ScalarAsync<long>($"SELECT id FROM mpm.{table} WHERE name = @name", ("name", name));

    private async Task<long> CreateClusterAsync(string name)
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Places/Clusters/Edit", Cluster(name)), "/Places/Clusters");
        return await IdOfAsync("clusters", name);
    }

    private async Task<long> CreateMiniGridAsync(long clusterId, string name)
    {
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Places/MiniGrids/Edit", Place("Input.ClusterId", clusterId, name)), "/Places/MiniGrids");
        return await IdOfAsync("mini_grids", name);
    }

    [Fact]
    public async Task A_manager_creates_a_cluster_with_an_area_and_edits_it()
    {
        var response = await CatalogHost.PostAsync(host.Manager, "/Places/Clusters/Edit", Cluster("Arusha", area: Area));

        CatalogHost.AssertRedirectTo(response, "/Places/Clusters");
        var id = await IdOfAsync("clusters", "Arusha");
        Assert.Equal("Amina Juma", await host.ScalarAsync<string>("SELECT manager_name FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal(-3.3869m, await host.ScalarAsync<decimal>("SELECT latitude FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal(36.6828m, await host.ScalarAsync<decimal>("SELECT longitude FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal("Polygon", await host.ScalarAsync<string>("SELECT area_geojson::jsonb ->> 'type' FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal(5, await host.ScalarAsync<int>("SELECT jsonb_array_length(area_geojson::jsonb -> 'coordinates' -> 0) FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "cluster.create", $"cluster {id}: Arusha"));
        Assert.Contains("Arusha", await CatalogHost.GetTextAsync(host.Viewer, "/Places/Clusters"));

        var form = await CatalogHost.GetTextAsync(host.Manager, $"/Places/Clusters/Edit/{id}");
        Assert.Contains("value=\"Arusha\"", form);
        Assert.Contains("36.6", form);

        response = await CatalogHost.PostAsync(host.Manager, $"/Places/Clusters/Edit/{id}", Cluster("Arusha North", "-3.2", "36.7", area: "", manager: ""));

        CatalogHost.AssertRedirectTo(response, "/Places/Clusters");
        Assert.Equal("Arusha North", await host.ScalarAsync<string>("SELECT name FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal(-3.2m, await host.ScalarAsync<decimal>("SELECT latitude FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.True(await host.ScalarAsync<bool>("SELECT area_geojson IS NULL AND manager_name IS NULL FROM mpm.clusters WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "cluster.update", $"cluster {id}: Arusha North"));
    }

    [Theory]
    [InlineData("Input.Name", "", "name is required")]
    [InlineData("Input.Latitude", "", "latitude is required")]
    [InlineData("Input.Latitude", "95", "latitude must be between -90 and 90")]
    [InlineData("Input.Longitude", "-190", "longitude must be between -180 and 180")]
    [InlineData("Input.Area", "{\"type\":\"Polygon\"", "area is not valid JSON")]
    [InlineData("Input.Area", """{"type":"Point","coordinates":[36.6,-3.3]}""", "area must be a GeoJSON Polygon")]
    [InlineData("Input.Area", """{"type":"Polygon","coordinates":[[[36.6,-3.3],[36.8,-3.3],[36.6,-3.3]]]}""", "area ring 1 needs at least 4 positions")]
    [InlineData("Input.Area", """{"type":"Polygon","coordinates":[[[36.6,-3.3],[36.8,-3.3],[36.8,-3.5],[36.6,-3.5]]]}""", "area ring 1 is not closed")]
    [InlineData("Input.Area", """{"type":"Polygon","coordinates":[[[36.6,-3.3],[36.8,-93.3],[36.8,-3.5],[36.6,-3.3]]]}""", "area ring 1, position 2: latitude must be between -90 and 90")]
    [InlineData("Input.Area", """{"type":"Polygon","coordinates":[[[36.6,-3.3],["east",-3.3],[36.8,-3.5],[36.6,-3.3]]]}""", "area ring 1, position 2: must be [longitude, latitude]")]
    public async Task A_bad_cluster_is_shown_back_with_its_error_and_not_stored(string field, string value, string error)
    {
        var fields = Cluster($"Bad cluster {Guid.NewGuid():N}");
        fields[field] = value;
        var before = await host.CountAsync("clusters");

        var response = await CatalogHost.PostAsync(host.Manager, "/Places/Clusters/Edit", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await CatalogHost.TextAsync(response);
        Assert.Contains(error, html);
        Assert.Contains("id=\"cluster-form\"", html);
        Assert.Equal(before, await host.CountAsync("clusters"));
    }

    [Fact]
    public async Task A_duplicate_cluster_name_is_refused_on_create_and_on_edit()
    {
        await CreateClusterAsync("Mwanza");
        var other = await CreateClusterAsync("Dodoma");
        var before = await host.CountAsync("clusters");

        var created = await CatalogHost.PostAsync(host.Manager, "/Places/Clusters/Edit", Cluster("Mwanza"));
        var renamed = await CatalogHost.PostAsync(host.Manager, $"/Places/Clusters/Edit/{other}", Cluster("Mwanza"));

        Assert.Contains("a cluster named Mwanza already exists", await CatalogHost.TextAsync(created));
        Assert.Contains("a cluster named Mwanza already exists", await CatalogHost.TextAsync(renamed));
        Assert.Equal(before, await host.CountAsync("clusters"));
        Assert.Equal("Dodoma", await host.ScalarAsync<string>("SELECT name FROM mpm.clusters WHERE id = @id", ("id", other)));
    }

    [Fact]
    public async Task Mini_grids_and_villages_are_created_edited_and_validated()
    {
        var cluster = await CreateClusterAsync("Kagera");
        var otherCluster = await CreateClusterAsync("Geita");
        var miniGrid = await CreateMiniGridAsync(cluster, "Bukoba MG");
        var otherMiniGrid = await CreateMiniGridAsync(cluster, "Muleba MG");

        var edited = await CatalogHost.PostAsync(host.Manager, $"/Places/MiniGrids/Edit/{miniGrid}", Place("Input.ClusterId", otherCluster, "Bukoba MG 1", "-1.33", "31.81"));
        CatalogHost.AssertRedirectTo(edited, "/Places/MiniGrids");
        Assert.Equal(otherCluster, await host.ScalarAsync<long>("SELECT cluster_id FROM mpm.mini_grids WHERE id = @id", ("id", miniGrid)));
        Assert.Equal(31.81m, await host.ScalarAsync<decimal>("SELECT longitude FROM mpm.mini_grids WHERE id = @id", ("id", miniGrid)));
        Assert.Contains("Bukoba MG 1", await CatalogHost.GetTextAsync(host.Viewer, "/Places/MiniGrids"));

        var miniGrids = await host.CountAsync("mini_grids");
        Assert.Contains("a mini-grid named Muleba MG already exists", await CatalogHost.TextAsync(await CatalogHost.PostAsync(host.Manager, "/Places/MiniGrids/Edit", Place("Input.ClusterId", cluster, "Muleba MG"))));
        var noCluster = Place("Input.ClusterId", cluster, "New MG");
        noCluster["Input.ClusterId"] = "";
        Assert.Contains("cluster is required", await CatalogHost.TextAsync(await CatalogHost.PostAsync(host.Manager, "/Places/MiniGrids/Edit", noCluster)));
        Assert.Contains("cluster 999999 does not exist", await CatalogHost.TextAsync(await CatalogHost.PostAsync(host.Manager, "/Places/MiniGrids/Edit", Place("Input.ClusterId", 999999, "New MG"))));
        Assert.Contains("latitude must be between -90 and 90", await CatalogHost.TextAsync(await CatalogHost.PostAsync(host.Manager, "/Places/MiniGrids/Edit", Place("Input.ClusterId", cluster, "New MG", latitude: "-91"))));
        Assert.Equal(miniGrids, await host.CountAsync("mini_grids"));

        var village = await CatalogHost.PostAsync(host.Manager, "/Places/Villages/Edit", Place("Input.MiniGridId", miniGrid, "Kashai", "-1.32", "31.80"));
        CatalogHost.AssertRedirectTo(village, "/Places/Villages");
        var villageId = await IdOfAsync("villages", "Kashai");
        Assert.Contains("Kashai", await CatalogHost.GetTextAsync(host.Viewer, "/Places/Villages"));

        // Village names are unique within a mini-grid, not across mini-grids.
        var villages = await host.CountAsync("villages");
        var duplicate = await CatalogHost.PostAsync(host.Manager, "/Places/Villages/Edit", Place("Input.MiniGridId", miniGrid, "Kashai"));
        Assert.Contains("this mini-grid already has a village named Kashai", await CatalogHost.TextAsync(duplicate));
        Assert.Contains("longitude is required", await CatalogHost.TextAsync(await CatalogHost.PostAsync(host.Manager, "/Places/Villages/Edit", Place("Input.MiniGridId", miniGrid, "Rwamishenye", longitude: ""))));
        Assert.Equal(villages, await host.CountAsync("villages"));
        CatalogHost.AssertRedirectTo(await CatalogHost.PostAsync(host.Manager, "/Places/Villages/Edit", Place("Input.MiniGridId", otherMiniGrid, "Kashai")), "/Places/Villages");

        var moved = await CatalogHost.PostAsync(host.Manager, $"/Places/Villages/Edit/{villageId}", Place("Input.MiniGridId", miniGrid, "Kashai Juu", "-1.31", "31.79"));
        CatalogHost.AssertRedirectTo(moved, "/Places/Villages");
        Assert.Equal("Kashai Juu", await host.ScalarAsync<string>("SELECT name FROM mpm.villages WHERE id = @id", ("id", villageId)));
        Assert.Equal(1, await host.AuditCountAsync("manager@example.com", "village.update", $"village {villageId}: Kashai Juu"));
    }

    [Fact]
    public async Task Editing_a_place_that_does_not_exist_is_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Manager.GetAsync("/Places/Clusters/Edit/987654")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Manager.GetAsync("/Places/MiniGrids/Edit/987654")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Manager.GetAsync("/Places/Villages/Edit/987654")).StatusCode);
        var response = await CatalogHost.PostAsync(host.Manager, "/Places/Clusters/Edit/987654", Cluster("Ghost"), pageUrl: "/Places/Clusters/Edit");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.clusters WHERE name = 'Ghost'"));
    }

    [Fact]
    public async Task A_viewer_reads_the_lists_but_cannot_create_or_edit()
    {
        var cluster = await CreateClusterAsync("Tanga");
        var before = await host.CountAsync("clusters");

        var list = await CatalogHost.GetTextAsync(host.Viewer, "/Places/Clusters");
        var created = await CatalogHost.PostAsync(host.Viewer, "/Places/Clusters/Edit", Cluster("Viewer cluster"), pageUrl: "/Places/Clusters");
        var edited = await CatalogHost.PostAsync(host.Viewer, $"/Places/Clusters/Edit/{cluster}", Cluster("Viewer rename"), pageUrl: "/Places/Clusters");
        var miniGrid = await CatalogHost.PostAsync(host.Viewer, "/Places/MiniGrids/Edit", Place("Input.ClusterId", cluster, "Viewer MG"), pageUrl: "/Places/MiniGrids");

        Assert.Contains("Tanga", list);
        Assert.DoesNotContain("add-new-cluster", list);
        CatalogHost.AssertForbidden(created);
        CatalogHost.AssertForbidden(edited);
        CatalogHost.AssertForbidden(miniGrid);
        CatalogHost.AssertForbidden(await host.Viewer.GetAsync("/Places/Clusters/Edit"));
        Assert.Equal(before, await host.CountAsync("clusters"));
        Assert.Equal("Tanga", await host.ScalarAsync<string>("SELECT name FROM mpm.clusters WHERE id = @id", ("id", cluster)));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.mini_grids WHERE name = 'Viewer MG'"));
    }

    [Fact]
    public async Task The_clusters_list_shows_managers_the_red_add_new_button_to_the_new_cluster_form()
    {
        var list = await host.Manager.GetStringAsync("/Places/Clusters");

        Assert.Contains("<a href=\"/Places/Clusters/Edit\" id=\"add-new-cluster\"", list);
        Assert.Equal(HttpStatusCode.OK, (await host.Manager.GetAsync("/Places/Clusters/Edit")).StatusCode);
    }
}
