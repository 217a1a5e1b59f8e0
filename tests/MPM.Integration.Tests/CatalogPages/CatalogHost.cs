using System.Net;
using MPM.Core;
using MPM.Testing;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.CatalogPages;

/// <summary>The host on a database of its own, with a signed-in admin, manager and viewer.</summary>
public sealed class CatalogHost : IAsyncLifetime
{
    private const string Password = "catalog-pages-password";

    public TestDatabase Database { get; private set; } = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Manager { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(Database);
        foreach (var role in Roles.All)
        {
            await Factory.AddUserAsync($"{role}@example.com", Password, role);
        }

        Admin = await Factory.LoginAsync("admin@example.com", Password);
        Manager = await Factory.LoginAsync("manager@example.com", Password);
        Viewer = await Factory.LoginAsync("viewer@example.com", Password);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Posts a form with the antiforgery token of <paramref name="pageUrl"/> (default: the form's own page).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields, string? pageUrl = null) =>
        MpmWebFactory.PostFormAsync(client, url, fields, pageUrl);

    /// <summary>The page's text with HTML entities decoded, so that messages can be looked for as written.</summary>
    public static async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public static async Task<string> GetTextAsync(HttpClient client, string url) => WebUtility.HtmlDecode(await client.GetStringAsync(url));

    public Task<long> CountAsync(string table) => ScalarAsync<long>($"SELECT count(*) FROM mpm.{table}");

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static void AssertRedirectTo(HttpResponseMessage response, string path)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(path, response.Headers.Location!.OriginalString.Split('?')[0]);
    }

    /// <summary>Cookie authentication answers a role that may not do something with its access-denied page.</summary>
    public static void AssertForbidden(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }

    /// <summary>How many audit entries by <paramref name="actor"/> for <paramref name="action"/> have details starting so.</summary>
    public Task<long> AuditCountAsync(string actor, string action, string details) =>
        ScalarAsync<long>(
            "SELECT count(*) FROM mpm.audit_log WHERE actor = @actor AND action = @action AND starts_with(details, @details)",
            ("actor", actor), ("action", action), ("details", details));
}
