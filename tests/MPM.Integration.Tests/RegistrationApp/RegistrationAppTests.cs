using System.Net;
using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Demo;
using MPM.Web.Security;
using Xunit;

namespace MPM.Integration.Tests.RegistrationApp;

/// <summary>The registration-app plugin, spoken to as the Android app speaks, over real HTTP against a demo operator.</summary>
public sealed class RegistrationAppTests : IAsyncLifetime
{
    private const string Agent = "agent@field.example";
    private const string Password = "field-password-1";
    private TestDatabase _database = null!;
    private MpmWebFactory _factory = null!;
    private AppClient _app = null!;
    private string _url = null!;
    private JsonElement _catalog;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _factory = new MpmWebFactory(_database);
        // The URL as a field agent types it, trailing slash included.
        _url = _factory.StartOnRealPort();
        _app = new AppClient(_url + "/plugins/registration-app/");
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions(Customers: 14, PaymentHistory: false));
        }

        await _factory.AddUserAsync(Agent, Password, Roles.FieldAgent);
        await _factory.AddUserAsync("viewer@field.example", Password, Roles.Viewer);
        _catalog = await QueryAsync(async db => JsonSerializer.SerializeToElement(new
        {
            manufacturer = await db.Manufacturers.Select(m => m.Id).FirstAsync(),
            meterType = await db.MeterTypes.Where(t => t.Phase == 1).Select(t => t.Id).FirstAsync(),
            tariff = await db.Tariffs.Where(t => t.AccessRateAmount != null).Select(t => t.Id).FirstAsync(),
            city = await db.Villages.Select(v => v.Id).FirstAsync(),
            group = await db.ConnectionGroups.Select(g => g.Id).FirstAsync(),
            type = await db.ConnectionTypes.Select(t => t.Id).FirstAsync(),
        }));
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<T> QueryAsync<T>(Func<MpmDb, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MpmDb>());
    }

    private long Catalog(string name) => _catalog.GetProperty(name).GetInt64();

    /// <summary>A customer as the app uploads it.</summary>
    private Dictionary<string, object?> Upload(int localId, string serial, string phone, string geoPoints = "-2.051234,33.012345") => new()
    {
        ["id"] = localId,
        ["name"] = "Rehema",
        ["surname"] = "Kisanga",
        ["phone"] = phone,
        ["serial_number"] = serial,
        ["manufacturer"] = Catalog("manufacturer"),
        ["meter_type"] = Catalog("meterType"),
        ["tariff_id"] = Catalog("tariff"),
        ["city_id"] = Catalog("city"),
        ["connection_group_id"] = Catalog("group"),
        ["connection_type_id"] = Catalog("type"),
        ["sub_connection_type_id"] = Catalog("type"),
        ["geo_points"] = geoPoints,
        ["local"] = true,
    };

    [Fact]
    public async Task A_replayed_app_session_signs_in_fills_every_list_uploads_three_customers_and_lists_them()
    {
        await _app.LoginAsync(Agent, Password);

        var manufacturers = await _app.ListAsync("manufacturers", ("id", JsonValueKind.Number), ("name", JsonValueKind.String));
        var meterTypes = await _app.ListAsync("meter-types", ("id", JsonValueKind.Number), ("online", JsonValueKind.Number), ("phase", JsonValueKind.Number), ("max_current", JsonValueKind.Number));
        var tariffs = await _app.ListAsync("tariffs", ("id", JsonValueKind.Number), ("name", JsonValueKind.String), ("price", JsonValueKind.Number), ("currency", JsonValueKind.String));
        var cities = await _app.ListAsync("cities", ("id", JsonValueKind.Number), ("name", JsonValueKind.String), ("country_id", JsonValueKind.Number));
        var groups = await _app.ListAsync("connection-groups", ("id", JsonValueKind.Number), ("name", JsonValueKind.String));
        var types = await _app.ListAsync("connection-types", ("id", JsonValueKind.Number), ("name", JsonValueKind.String));
        var subTypes = await _app.ListAsync("sub-connection-types", ("id", JsonValueKind.Number), ("name", JsonValueKind.String), ("connection_type_id", JsonValueKind.Number));
        Assert.All([manufacturers, meterTypes, tariffs, cities, groups, types, subTypes], list => Assert.NotEmpty(list));
        Assert.All(meterTypes, t => Assert.Contains(t["online"].GetInt32(), new[] { 0, 1 }));
        // The business tariff: 900 per kWh plus 30 and 10 of components, as the tariff list shows it.
        Assert.Contains(tariffs, t => t["price"].GetRawText() == "940" && t["currency"].GetString() == "TZS");
        Assert.Equal(types.Select(t => t["id"].GetInt64()), subTypes.Select(t => t["connection_type_id"].GetInt64()));

        var (_, before) = await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people");
        var customersBefore = before.GetProperty("total").GetInt32();
        var uploads = new[] { Upload(7, "47000000011", "+255713100001"), Upload(8, "47000000029", "+255713100002"), Upload(9, "47000000037", "+255713100003", "-2.5,32.9") };
        var answers = new List<JsonElement>();
        foreach (var upload in uploads.Append(uploads[1]))
        {
            var (status, body) = await _app.PostAsync("customer-registration-app", upload);
            Assert.Equal(HttpStatusCode.Created, status);
            answers.Add(body.GetProperty("data"));
        }

        Assert.Equal([7, 8, 9, 8], answers.Select(a => a.GetProperty("id").GetInt32()));
        Assert.Equal(answers[1].GetProperty("person_id").GetInt64(), answers[3].GetProperty("person_id").GetInt64());
        Assert.Equal(answers[1].GetProperty("meter_id").GetInt64(), answers[3].GetProperty("meter_id").GetInt64());

        var (_, people) = await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people");
        var (_, firstPage) = await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people?page=1");
        Assert.Equal(people.GetRawText(), firstPage.GetRawText());
        Assert.Equal(customersBefore + 3, people.GetProperty("total").GetInt32());
        Assert.Equal((1, 15, 2), (people.GetProperty("current_page").GetInt32(), people.GetProperty("per_page").GetInt32(), people.GetProperty("last_page").GetInt32()));
        Assert.Equal(["+255713100003", "+255713100002", "+255713100001"], people.GetProperty("data").EnumerateArray().Take(3).Select(p => p.GetProperty("phone").GetString()));
        var (_, secondPage) = await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people?page=2");
        Assert.Equal(customersBefore + 3 - 15, secondPage.GetProperty("data").GetArrayLength());
        Assert.Equal(2, secondPage.GetProperty("current_page").GetInt32());
        // A page far past the end is an empty page (its offset overflowed int once: an error 500).
        var (farStatus, farPage) = await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people?page=200000000");
        Assert.Equal((HttpStatusCode.OK, 0), (farStatus, farPage.GetProperty("data").GetArrayLength()));

        var stored = await QueryAsync(db => (
            from m in db.Meters
            join a in db.Addresses on m.CustomerId equals a.CustomerId
            where m.SerialNumber.StartsWith("470000000")
            orderby m.SerialNumber
            select new { m.SerialNumber, m.Latitude, m.Longitude, AddressLatitude = a.Latitude, m.MeterTypeId, Account = db.AccessRateAccounts.Any(r => r.MeterId == m.Id) }).ToListAsync());
        Assert.Equal(["47000000011", "47000000029", "47000000037"], stored.Select(s => s.SerialNumber));
        Assert.Equal([(-2.051234m, 33.012345m), (-2.051234m, 33.012345m), (-2.5m, 32.9m)], stored.Select(s => (s.Latitude!.Value, s.Longitude!.Value)));
        Assert.All(stored, s => Assert.Equal(s.Latitude, s.AddressLatitude));
        Assert.All(stored, s => Assert.Equal(Catalog("meterType"), s.MeterTypeId));
        Assert.All(stored, s => Assert.True(s.Account));
    }

    [Theory]
    [InlineData("serial_number", "47000000011", "+255713999999", null, null)]
    [InlineData("tariff_id", "47000000045", "+255713100005", "tariff_id", 999999)]
    [InlineData("city_id", "47000000045", "+255713100005", "city_id", 999999)]
    [InlineData("manufacturer", "47000000045", "+255713100005", "manufacturer", 999999)]
    [InlineData("meter_type", "47000000045", "+255713100005", "meter_type", 999999)]
    [InlineData("connection_type_id", "47000000045", "+255713100005", "connection_type_id", 999999)]
    [InlineData("sub_connection_type_id", "47000000045", "+255713100005", "sub_connection_type_id", 999999)]
    [InlineData("phone", "47000000045", "0713100005", null, null)]
    [InlineData("name", "47000000045", "+255713100005", "name", "A")]
    [InlineData("geo_points", "47000000045", "+255713100005", "geo_points", "north of the well")]
    [InlineData("tariff_id", "47000000045", "+255713100005", "tariff_id", "cheap")]
    public async Task A_bad_upload_is_a_422_naming_the_field_and_stores_nothing(string field, string serial, string phone, string? replace, object? value)
    {
        await _app.LoginAsync(Agent, Password);
        Assert.Equal(HttpStatusCode.Created, (await _app.PostAsync("customer-registration-app", Upload(1, "47000000011", "+255713100001"))).Status);
        var customers = await QueryAsync(db => db.Customers.CountAsync());
        var upload = Upload(2, serial, phone);
        if (replace is not null)
        {
            upload[replace] = value is string text && long.TryParse(text, out var number) ? number : value;
        }

        if (replace == "connection_type_id")
        {
            // The app sends a sub-type of the type chosen: the platform's sub-types mirror its types.
            upload["sub_connection_type_id"] = upload[replace];
        }

        var (status, body) = await _app.PostAsync("customer-registration-app", upload);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind);
        var messages = body.GetProperty("errors").GetProperty(field);
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(customers, await QueryAsync(db => db.Customers.CountAsync()));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_422_not_a_500()
    {
        await _app.LoginAsync(Agent, Password);
        var (status, body) = await _app.SendAsync(HttpMethod.Post, "customer-registration-app", "{\"name\": ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task Only_a_missing_expired_or_revoked_token_is_a_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.SendAsync(HttpMethod.Get, "customer-registration-app/tariffs")).Status);
        _app.Token = "not-a-token";
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.SendAsync(HttpMethod.Get, "customer-registration-app/tariffs")).Status);

        await _app.LoginAsync(Agent, Password);
        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(HttpMethod.Get, "customer-registration-app/tariffs")).Status);
        await QueryAsync(db => db.BearerTokens.Set(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)).UpdateAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.SendAsync(HttpMethod.Get, "customer-registration-app/tariffs")).Status);

        await _app.LoginAsync(Agent, Password);
        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people")).Status);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserService>();
            var agent = (await users.FindAsync(Agent))!;
            Assert.Empty(await users.UpdateAsync(agent.Id, Roles.FieldAgent, disabled: false, "a-new-password-2", "admin@test"));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.SendAsync(HttpMethod.Get, "customer-registration-app/people")).Status);
    }

    [Fact]
    public async Task A_failed_sign_in_is_shown_through_data_message_and_is_not_a_401()
    {
        var (wrong, body) = await _app.PostAsync("auth/login", new { email = Agent, password = "wrong-password" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong);
        Assert.Equal("wrong email or password", body.GetProperty("data").GetProperty("message").GetString());

        var (viewer, refused) = await _app.PostAsync("auth/login", new { email = "viewer@field.example", password = Password });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, viewer);
        Assert.Contains("viewer", refused.GetProperty("data").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_field_agent_may_not_use_the_web_pages()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new() };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(_url) };
        var login = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = Agent, ["Input.Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await client.GetAsync("/Customers");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/AccessDenied", page.Headers.Location!.ToString());
    }
}
