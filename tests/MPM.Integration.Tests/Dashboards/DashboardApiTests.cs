using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MPM.Core.Domain;
using MPM.Web.Features.Transactions;
using Xunit;

namespace MPM.Integration.Tests.Dashboards;

/// <summary>The dashboards' JSON and POST /api/v1/targets against the fixture's hand-computed figures.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardApiTests(DashboardFixture fixture)
{
    private const string March = "from=2026-03-01&to=2026-03-15";

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await fixture.Api().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<long> PostTargetAsync(object body)
    {
        var response = await fixture.Api().PostAsJsonAsync("/api/v1/targets", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    private static JsonElement ById(JsonElement array, long id) => array.EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == id);

    [Fact]
    public async Task The_clusters_dashboard_totals_confirmed_revenue_per_cluster_and_mini_grid_by_operator_day()
    {
        var json = await GetJsonAsync($"/api/v1/dashboards/clusters?{March}");

        var boxes = json.GetProperty("boxes");
        Assert.Equal(4550m, boxes.GetProperty("revenue").GetDecimal());
        Assert.Equal(5, boxes.GetProperty("payments").GetInt32());
        Assert.Equal(8.5m, boxes.GetProperty("energyKWh").GetDecimal());
        Assert.Equal(4, boxes.GetProperty("customers").GetInt32());
        Assert.Equal(4, boxes.GetProperty("meters").GetInt32());
        Assert.Equal(2, boxes.GetProperty("clusters").GetInt32());
        var clusters = json.GetProperty("clusters");
        var kagera = ById(clusters, fixture.Kagera);
        Assert.Equal(3750m, kagera.GetProperty("figures").GetProperty("revenue").GetDecimal());
        Assert.Equal(800m, ById(clusters, fixture.Mara).GetProperty("figures").GetProperty("revenue").GetDecimal());
        var mg1 = ById(kagera.GetProperty("miniGrids"), fixture.Mg1).GetProperty("figures");
        Assert.Equal(3500m, mg1.GetProperty("revenue").GetDecimal());
        Assert.Equal(3, mg1.GetProperty("payments").GetInt32());
        Assert.Equal(6.4m, mg1.GetProperty("energyKWh").GetDecimal());
        Assert.Equal(3200m, mg1.GetProperty("energyAmount").GetDecimal());
        Assert.Equal(300m, mg1.GetProperty("accessRateAmount").GetDecimal());
        Assert.Equal(250m, ById(kagera.GetProperty("miniGrids"), fixture.Mg2).GetProperty("figures").GetProperty("revenue").GetDecimal());
        Assert.Equal(0m, ById(kagera.GetProperty("miniGrids"), fixture.Mg3).GetProperty("figures").GetProperty("revenue").GetDecimal());
    }

    [Fact]
    public async Task Dashboard_revenue_is_the_Transactions_pages_revenue_for_the_same_days()
    {
        var json = await GetJsonAsync($"/api/v1/dashboards/clusters?{March}");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Africa/Dar_es_Salaam");
        var totals = await fixture.WithServiceAsync<TransactionQueries, PeriodTotals>(q =>
            q.TotalsAsync(PeriodComparison.StartOfDay(new DateOnly(2026, 3, 1), zone), PeriodComparison.StartOfDay(new DateOnly(2026, 3, 16), zone)));

        Assert.Equal(totals.Revenue, json.GetProperty("boxes").GetProperty("revenue").GetDecimal());
        Assert.Equal(totals.Confirmed, json.GetProperty("boxes").GetProperty("payments").GetInt32());
    }

    [Fact]
    public async Task February_holds_only_the_payment_received_before_the_operators_midnight()
    {
        var json = await GetJsonAsync("/api/v1/dashboards/mini-grids/" + fixture.Mg2 + "?from=2026-02-01&to=2026-02-28");

        Assert.Equal(400m, json.GetProperty("dashboard").GetProperty("miniGrid").GetProperty("figures").GetProperty("revenue").GetDecimal());
    }

    [Fact]
    public async Task A_cluster_with_three_mini_grids_targeting_100_200_and_500_new_connections_shows_800()
    {
        foreach (var (miniGrid, connections) in new[] { (fixture.Mg1, 100), (fixture.Mg2, 200), (fixture.Mg3, 500) })
        {
            await PostTargetAsync(new
            {
                ownerType = "mini-grid", ownerId = miniGrid, validUntil = "2026-12-31",
                values = new object[] { new { connectionTypeId = (long?)null, newConnections = connections, revenue = miniGrid == fixture.Mg1 ? 1000m : (decimal?)null } },
            });
        }

        var json = await GetJsonAsync($"/api/v1/dashboards/clusters/{fixture.Kagera}?{March}");

        var targets = json.GetProperty("targets");
        Assert.Equal("mini-grids", targets.GetProperty("source").GetString());
        Assert.Equal(800, targets.GetProperty("goals").GetProperty("newConnections").GetInt32());
        Assert.Equal(1000m, targets.GetProperty("goals").GetProperty("revenue").GetDecimal());
        // 1,000 a month over 1-15 March (15/31 of a month) against 3,750 received; 3 meters registered against 800.
        var analysis = targets.GetProperty("analysis");
        Assert.Equal(483.87m, analysis.GetProperty("revenue").GetProperty("target").GetDecimal());
        Assert.Equal(3750m, analysis.GetProperty("revenue").GetProperty("actual").GetDecimal());
        Assert.Equal(3, analysis.GetProperty("newConnections").GetProperty("actual").GetInt32());
        var miniGrids = json.GetProperty("miniGrids").EnumerateArray().ToDictionary(m => m.GetProperty("miniGrid").GetProperty("id").GetInt64());
        Assert.Equal(200, miniGrids[fixture.Mg2].GetProperty("analysis").GetProperty("newConnections").GetProperty("target").GetInt32());
        Assert.Equal(3500m, miniGrids[fixture.Mg1].GetProperty("miniGrid").GetProperty("figures").GetProperty("revenue").GetDecimal());

        var page = await (await fixture.Factory.LoginAsync(DashboardFixture.ViewerEmail, DashboardFixture.Password)).GetStringAsync($"/Dashboards/Cluster/{fixture.Kagera}?{March}");
        Assert.Matches("id=\"analysis-cluster\" data-source=\"mini-grids\">.*?data-value=\"target-new-connections\">800<", page.ReplaceLineEndings(" "));
    }

    [Fact]
    public async Task A_cluster_with_its_own_target_shows_only_that()
    {
        await PostTargetAsync(new { ownerType = "mini-grid", ownerId = fixture.Mg4, validUntil = "2026-06-30", values = new[] { new { connectionTypeId = fixture.Household, newConnections = 50 } } });
        var before = await GetJsonAsync($"/api/v1/dashboards/clusters/{fixture.Mara}?{March}");
        Assert.Equal(50, before.GetProperty("targets").GetProperty("goals").GetProperty("newConnections").GetInt32());

        await PostTargetAsync(new { ownerType = "cluster", ownerId = fixture.Mara, validUntil = "2026-06-30", values = new[] { new { connectionTypeId = (long?)null, newConnections = 30 } } });
        var after = await GetJsonAsync($"/api/v1/dashboards/clusters/{fixture.Mara}?{March}");

        Assert.Equal("cluster", after.GetProperty("targets").GetProperty("source").GetString());
        Assert.Equal(30, after.GetProperty("targets").GetProperty("goals").GetProperty("newConnections").GetInt32());
        // A period after both targets expired has none.
        var later = await GetJsonAsync($"/api/v1/dashboards/clusters/{fixture.Mara}?from=2026-07-01&to=2026-07-31");
        Assert.Equal("none", later.GetProperty("targets").GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_mini_grid_dashboard_breaks_revenue_down_per_customer_type()
    {
        var json = (await GetJsonAsync($"/api/v1/dashboards/mini-grids/{fixture.Mg1}?{March}")).GetProperty("dashboard");

        Assert.Equal(1750m, json.GetProperty("averageRevenuePerCustomer").GetDecimal());
        var types = json.GetProperty("customerTypes").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(1500m, types["Household"].GetProperty("figures").GetProperty("revenue").GetDecimal());
        Assert.Equal(2, types["Household"].GetProperty("figures").GetProperty("payments").GetInt32());
        Assert.Equal(2000m, types["Business"].GetProperty("figures").GetProperty("revenue").GetDecimal());
        Assert.Equal(1, types["Business"].GetProperty("registrations").GetProperty("customers").GetInt32());
        Assert.False(json.GetProperty("tickets").GetProperty("available").GetBoolean());
        // 15 days: a daily trend; Business paid 2,000 on the 14th (local), not the 15th.
        var trend = json.GetProperty("payments");
        var labels = trend.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(15, labels.Count);
        var business = trend.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Business").GetProperty("values").EnumerateArray().Select(v => v.GetDecimal()).ToList();
        Assert.Equal(2000m, business[labels.IndexOf("2026-03-14")]);
        Assert.Equal(2000m, business.Sum());
    }

    [Fact]
    public async Task A_bad_target_is_answered_with_each_bad_field_and_nothing_stored()
    {
        var response = await fixture.Api().PostAsJsonAsync("/api/v1/targets", new
        {
            ownerType = "village", ownerId = 1, values = new object[] { new { connectionTypeId = 999_999, revenue = -5m }, new { connectionTypeId = (long?)null, energyPerMonth = 1.234m } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("cluster", errors.GetProperty("ownerType")[0].GetString());
        Assert.Contains("required", errors.GetProperty("validUntil")[0].GetString());
        Assert.Contains("no customer group", errors.GetProperty("values[0].connectionTypeId")[0].GetString());
        Assert.Contains("0 or more", errors.GetProperty("values[0].revenue")[0].GetString());
        Assert.Contains("2 decimals", errors.GetProperty("values[1].energyPerMonth")[0].GetString());
        var missing = await fixture.Api().PostAsJsonAsync("/api/v1/targets", new { ownerType = "mini-grid", ownerId = 987_654, validUntil = "2026-12-31" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("no mini-grid 987654", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_periods_and_unknown_places_are_refused()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Api().GetAsync("/api/v1/dashboards/clusters?from=2026-03-10&to=2026-03-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Api().GetAsync("/api/v1/dashboards/clusters?from=March")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api().GetAsync("/api/v1/dashboards/clusters/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api().GetAsync("/api/v1/dashboards/mini-grids/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.CreateClient().GetAsync("/api/v1/dashboards/clusters")).StatusCode);
    }
}
