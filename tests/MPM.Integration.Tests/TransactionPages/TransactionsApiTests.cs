using System.Net;
using System.Text.Json;
using Xunit;

namespace MPM.Integration.Tests.TransactionPages;

/// <summary>GET /api/v1/transactions and /api/v1/transactions/{id} over the fixture's transactions.</summary>
[Collection(TransactionPagesCollection.Name)]
public sealed class TransactionsApiTests(TransactionPagesFixture fixture)
{
    private HttpClient Api()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", fixture.ApiKey);
        return client;
    }

    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Api().GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<IReadOnlyList<long>> ListedAsync(string query) =>
        (await GetJsonAsync($"/api/v1/transactions?{query}")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();

    private static IReadOnlyList<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public async Task Without_an_api_key_the_answer_is_401()
    {
        var client = fixture.Factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/transactions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/transactions/{fixture.T1}")).StatusCode);
    }

    [Fact]
    public async Task The_list_is_paged_newest_first()
    {
        var page = await GetJsonAsync("/api/v1/transactions?page=2&pageSize=4");

        Assert.Equal(["items", "page", "pageSize", "total"], Names(page));
        Assert.Equal((2, 4, 31), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        Assert.Equal(fixture.Recent.Skip(4).Take(4), page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var defaults = await GetJsonAsync("/api/v1/transactions");
        Assert.Equal((1, 25), (defaults.GetProperty("page").GetInt32(), defaults.GetProperty("pageSize").GetInt32()));
    }

    [Fact]
    public async Task Each_filter_narrows_the_list()
    {
        Assert.Equal([fixture.T3, fixture.T1, fixture.T5, fixture.T6, fixture.T8, fixture.T10], await ListedAsync("meter=kb-10"));
        Assert.Equal([fixture.T2, fixture.T4, fixture.T7], await ListedAsync("provider=vodacom"));
        Assert.Equal([fixture.T5], await ListedAsync("providerReference=AT-0005"));
        Assert.Equal([fixture.T2, fixture.T7], await ListedAsync("status=cancelled"));
        Assert.Equal([fixture.T5], await ListedAsync("from=2026-03-01&to=2026-03-01"));
        Assert.Equal([fixture.T9], await ListedAsync("provider=cash&status=confirmed&to=2026-02-22"));
    }

    [Fact]
    public async Task Date_times_are_instants_and_without_an_offset_the_operators_wall_clock()
    {
        Assert.Equal([fixture.T1, fixture.T4], await ListedAsync("from=2026-03-01T21:00:00Z&to=2026-03-02T06:00:00Z"));
        Assert.Equal([fixture.T11, fixture.T3, fixture.T2], await ListedAsync("from=2026-03-02T09:00:00%2B03:00"));
        Assert.Equal([fixture.T11, fixture.T3], await ListedAsync("from=2026-03-02T09:40"));
    }

    [Theory]
    [InlineData("status=lost", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=500", "pageSize")]
    public async Task A_bad_filter_value_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var response = await Api().GetAsync($"/api/v1/transactions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal([parameter], Names(problem.GetProperty("errors")));
        Assert.StartsWith(parameter + " must be", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_transaction_has_exactly_the_documented_shape()
    {
        var transaction = await GetJsonAsync($"/api/v1/transactions/{fixture.T1}");

        Assert.Equal(["id", "status", "amount", "meterSerial", "provider", "providerReference", "reason", "token", "allocations", "sms"], Names(transaction));
        Assert.Equal(fixture.T1, transaction.GetProperty("id").GetInt64());
        Assert.Equal("confirmed", transaction.GetProperty("status").GetString());
        Assert.Equal(1000m, transaction.GetProperty("amount").GetDecimal());
        Assert.Equal(("KB-1001", "airtel", "AT-0001"), (transaction.GetProperty("meterSerial").GetString(), transaction.GetProperty("provider").GetString(), transaction.GetProperty("providerReference").GetString()));
        Assert.Equal(JsonValueKind.Null, transaction.GetProperty("reason").ValueKind);
        var token = transaction.GetProperty("token");
        Assert.Equal(["value", "energyKWh"], Names(token));
        Assert.Equal(("12345678901234567890", 1.4m), (token.GetProperty("value").GetString(), token.GetProperty("energyKWh").GetDecimal()));
        var allocations = transaction.GetProperty("allocations").EnumerateArray().ToList();
        Assert.All(allocations, a => Assert.Equal(["type", "amount"], Names(a)));
        Assert.Equal([("asset-rate", 200m), ("access-rate", 100m), ("energy", 700m)], allocations.Select(a => (a.GetProperty("type").GetString(), a.GetProperty("amount").GetDecimal())));
        var sms = transaction.GetProperty("sms").EnumerateArray().ToList();
        Assert.All(sms, s => Assert.Equal(["to", "body", "status"], Names(s)));
        Assert.Equal(
            [("+255712000001", "Meter KB-1001: token 1234-5678-9012-3456-7890 for 1.4 kWh.", "delivered"), ("+255787000000", "Meter KB-1001: paid 1000 TZS.", "failed")],
            sms.Select(s => (s.GetProperty("to").GetString(), s.GetProperty("body").GetString(), s.GetProperty("status").GetString())));
    }

    [Fact]
    public async Task A_cancelled_transaction_has_its_reason_no_token_and_its_reversals()
    {
        var transaction = await GetJsonAsync($"/api/v1/transactions/{fixture.T7}");

        Assert.Equal(("cancelled", "token generator failed for good"), (transaction.GetProperty("status").GetString(), transaction.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, transaction.GetProperty("token").ValueKind);
        Assert.Equal(
            [("access-rate", 100m), ("access-rate", -100m), ("energy", 500m), ("energy", -500m)],
            transaction.GetProperty("allocations").EnumerateArray().Select(a => (a.GetProperty("type").GetString(), a.GetProperty("amount").GetDecimal())));
        Assert.Equal(["queued"], transaction.GetProperty("sms").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task The_openapi_document_describes_both_routes()
    {
        var paths = (await GetJsonAsync("/api/v1/openapi.json")).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/transactions", out var list));
        Assert.Equal(
            ["meter", "provider", "providerReference", "status", "from", "to", "page", "pageSize"],
            list.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(paths.TryGetProperty("/api/v1/transactions/{id}", out _));
    }

    [Fact]
    public async Task An_unknown_transaction_is_a_404_problem()
    {
        var response = await Api().GetAsync("/api/v1/transactions/987654321");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("987654321", problem.GetProperty("detail").GetString());
    }
}
