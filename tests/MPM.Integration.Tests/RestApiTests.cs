using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>The host served over real HTTP on a loopback port, with its own database.</summary>
public sealed class RealPortHost : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(Database);
        BaseUrl = Factory.StartOnRealPort();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}

/// <summary>The REST API skeleton: API keys, problem details, the OpenAPI document; over real HTTP.</summary>
public sealed class RestApiTests(RealPortHost host) : IClassFixture<RealPortHost>
{
    [Fact]
    public void TheHostListensOnLoopback() => Assert.StartsWith("http://127.0.0.1:", host.BaseUrl);

    [Fact]
    public async Task WithoutAKeyTheApiAnswers401()
    {
        var response = await host.Client().GetAsync("/api/v1/plugins");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("mpm_00000000_not-a-real-key")]
    [InlineData("x")]
    public async Task AWrongKeyIsRefused(string key)
    {
        await host.Factory.AddApiKeyAsync("a-real-one");

        var response = await host.Client(key).GetAsync("/api/v1/plugins");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AKeyFromTheServiceListsThePlugins()
    {
        var key = await host.Factory.AddApiKeyAsync("rest-test");
        Assert.StartsWith("mpm_", key);

        var response = await host.Client(key).GetAsync("/api/v1/plugins");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var plugins = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        foreach (var id in new[] { "hello", "openpaygo" })
        {
            var plugin = Assert.Single(plugins, p => p.GetProperty("id").GetString() == id);
            Assert.Equal("active", plugin.GetProperty("status").GetString());
            Assert.Equal("1.0.0", plugin.GetProperty("version").GetString());
        }

        Assert.Equal(["other"], Assert.Single(plugins, p => p.GetProperty("id").GetString() == "hello").GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task KeysAreStoredHashedOnly()
    {
        var key = await host.Factory.AddApiKeyAsync("hash-test");

        var stored = await host.Database.ScalarAsync<string>("SELECT name || key_prefix || encode(key_hash, 'escape') FROM mpm.api_keys WHERE name = 'hash-test'");

        Assert.NotNull(stored);
        Assert.DoesNotContain(key, stored);
        Assert.DoesNotContain(key.Split('_')[2], stored);
    }

    [Fact]
    public async Task ARevokedKeyIsRefused()
    {
        var key = await host.Factory.AddApiKeyAsync("revoked");
        Assert.Equal(HttpStatusCode.OK, (await host.Client(key).GetAsync("/api/v1/plugins")).StatusCode);
        await using (var connection = new Npgsql.NpgsqlConnection(host.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var revoke = new Npgsql.NpgsqlCommand("UPDATE mpm.api_keys SET revoked_at = now() WHERE name = 'revoked'", connection);
            await revoke.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(key).GetAsync("/api/v1/plugins")).StatusCode);
    }

    [Fact]
    public async Task TheLoginCookieIsNoWayIntoTheApi()
    {
        await host.Factory.AddUserAsync("cookie.user@example.com", "long enough password", "admin");
        var cookies = new CookieContainer();
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };
        var login = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = "cookie.user@example.com", ["Input.Password"] = "long enough password" });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/plugins")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentIsServedAndListsThePluginsRoute()
    {
        var response = await host.Client().GetAsync("/api/v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/plugins", paths);
        // Only the API is described: not the health checks, pages or plugin endpoints.
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
        Assert.Equal("ListPlugins", document.GetProperty("paths").GetProperty("/api/v1/plugins").GetProperty("get").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task AnUnknownApiRouteIsA404ProblemDetails()
    {
        var key = await host.Factory.AddApiKeyAsync("unknown-route");

        var response = await host.Client(key).GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
    }
}
