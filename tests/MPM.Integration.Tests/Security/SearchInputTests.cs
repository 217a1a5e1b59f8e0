using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LinqToDB;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>
/// Customers, tariffs, payments, SMS and audit entries whose texts hold LIKE wildcards, quotes, backslashes and SQL:
/// one of each beside two plain ones. A search finds exactly the rows whose text contains what was typed.
/// </summary>
public sealed class SearchWorld : IAsyncLifetime
{
    public const string AdminEmail = "admin@example.com";
    public const string Password = "correct-horse-battery";

    /// <summary>Name, surname and tariff of each customer; the surname and tariff hold the same special text.</summary>
    public static readonly (string Name, string Surname, string Tariff)[] People =
    [
        ("Asha", "Mwita", "Plain day"),
        ("Juma", "Kombo", "Plain night"),
        ("Pct", "Solar100%", "Tariff 50%"),
        ("Snake", "Under_score", "Night_rate"),
        ("Brian", "O'Brien", "O'Hare rate"),
        ("Back", "Slash\\ed", "Back\\slash rate"),
        ("Inject", "X' OR 1=1 --", "T' OR 1=1 -- rate"),
    ];

    private TestDatabase _database = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>Per person: customer, meter, payment and SMS ids.</summary>
    public List<(long Customer, long Meter, long Transaction, long Sms)> Rows { get; } = [];

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(_database);
        await Factory.AddUserAsync(AdminEmail, Password, Roles.Admin);
        var key = await Factory.AddApiKeyAsync();
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
            var now = DateTimeOffset.UtcNow;
            var cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = "Lake Zone", CreatedAt = now });
            var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = cluster, Name = "Bukoba MG", Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
            var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = "Kibaoni", Latitude = -1.3m, Longitude = 31.8m, CreatedAt = now });
            var manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = "Hexing", TokenGenerator = "sts", CreatedAt = now });
            for (var i = 0; i < People.Length; i++)
            {
                var (name, surname, tariffName) = People[i];
                var tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = tariffName, PricePerKWh = 500m, CreatedAt = now });
                var serial = $"SQ-{i}";
                var phone = $"+25571300000{i}";
                var registered = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
                    new CustomerInput(name, surname, phone, null, null), new AddressInput(village, null, null, null), new MeterInput(serial, manufacturer, tariff, null, null)));
                Assert.True(registered.Succeeded, string.Join("; ", registered.Errors.Values));
                var transaction = await db.InsertWithInt64IdentityAsync(new TransactionRecord
                {
                    Provider = "cash", ProviderReference = $"REF-{i}", MeterId = registered.MeterId!.Value, MeterSerial = serial, CustomerId = registered.CustomerId!.Value,
                    VillageId = village, MiniGridId = miniGrid, ClusterId = cluster, Amount = 1000m, Currency = "TZS", RawData = "{}", Status = TransactionStatus.Confirmed,
                    EnergyKWh = 2m, NextAttemptAt = now, ReceivedAt = now.AddMinutes(-i), CompletedAt = now,
                });
                var sms = await db.InsertWithInt64IdentityAsync(new SmsMessageRecord
                {
                    Direction = "out", Phone = phone, CustomerId = registered.CustomerId!.Value, Body = $"Dear {surname}, thank you", Status = SmsStatus.Queued,
                    NextAttemptAt = now.AddYears(10), CreatedAt = now, UpdatedAt = now,
                });
                await db.InsertAsync(new AuditRecord { At = now, Actor = $"{surname}@example.com", Action = "search.test", Details = "" });
                Rows.Add((registered.CustomerId!.Value, registered.MeterId!.Value, transaction, sms));
            }
        }

        Admin = await Factory.LoginAsync(AdminEmail, Password);
        Api = Factory.CreateClient();
        Api.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>
/// Search boxes and text filters on every page and API that has one treat the input as text: LIKE wildcards, quotes,
/// backslashes and SQL find only the rows that contain them; bad filter values get an answer, never an error 500.
/// </summary>
public sealed class SearchInputTests(SearchWorld world) : IClassFixture<SearchWorld>
{
    public static TheoryData<string> Terms() => ["%", "_", "'", "\\", "' OR 1=1 --", "%'", "\\%"];

    /// <summary>The people whose text (a surname or tariff; each person's two hold the same special text) contains <paramref name="term"/>.</summary>
    private static List<int> Expected(string term, Func<(string Name, string Surname, string Tariff), string> text) =>
        Enumerable.Range(0, SearchWorld.People.Length).Where(i => text(SearchWorld.People[i]).Contains(term, StringComparison.OrdinalIgnoreCase)).ToList();

    private List<long> Ids(IEnumerable<int> people, Func<(long Customer, long Meter, long Transaction, long Sms), long> id) =>
        people.Select(i => id(world.Rows[i])).Order().ToList();

    private async Task<string> PageAsync(string url)
    {
        var response = await world.Admin.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private static List<long> Linked(string html, string table, string page) =>
        Regex.Matches(Regex.Match(html, $"<table[^>]*id=\"{table}\".*?</table>", RegexOptions.Singleline).Value, $"href=\"/{page}/(\\d+)\"")
            .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();

    private async Task<JsonElement> ApiAsync(string url)
    {
        var response = await world.Api.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static List<long> JsonIds(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order().ToList();

    [Theory]
    [MemberData(nameof(Terms))]
    public async Task The_customer_search_finds_only_customers_whose_text_contains_the_term(string term)
    {
        var expected = Ids(Expected(term, p => $"{p.Name} {p.Surname}"), r => r.Customer);
        var q = Uri.EscapeDataString(term);

        Assert.Equal(expected, Linked(await PageAsync($"/Customers?q={q}"), "customers-table", "Customers"));
        Assert.Equal(expected, JsonIds(await ApiAsync($"/api/v1/customers?search={q}")));
    }

    [Theory]
    [MemberData(nameof(Terms))]
    public async Task The_meter_search_finds_only_meters_whose_serial_or_tariff_contains_the_term(string term)
    {
        var expected = Ids(Expected(term, p => p.Tariff), r => r.Meter);
        var q = Uri.EscapeDataString(term);

        Assert.Equal(expected, Linked(await PageAsync($"/Meters?q={q}"), "meters-table", "Meters"));
        Assert.Equal(expected, JsonIds(await ApiAsync($"/api/v1/meters?search={q}")));
    }

    [Theory]
    [MemberData(nameof(Terms))]
    public async Task The_transaction_filters_find_only_payments_whose_customer_or_serial_contains_the_term(string term)
    {
        var q = Uri.EscapeDataString(term);

        Assert.Equal(Ids(Expected(term, p => $"{p.Name} {p.Surname}"), r => r.Transaction), Linked(await PageAsync($"/Transactions?customer={q}"), "transactions-table", "Transactions"));
        // No serial holds any of these: nothing, rather than everything.
        Assert.Empty(Linked(await PageAsync($"/Transactions?serial={q}"), "transactions-table", "Transactions"));
        var csv = await (await world.Admin.GetAsync($"/Transactions?handler=Csv&serial={q}")).Content.ReadAsStringAsync();
        Assert.Single(csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        // The API's filters are exact: a wildcard is no serial or reference.
        Assert.Equal(0, (await ApiAsync($"/api/v1/transactions?meter={q}")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await ApiAsync($"/api/v1/transactions?providerReference={q}")).GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Terms))]
    public async Task The_sms_search_finds_only_messages_whose_text_or_customer_contains_the_term(string term)
    {
        var expected = Ids(Expected(term, p => $"Dear {p.Surname}, thank you {p.Name} {p.Surname}"), r => r.Sms);
        var html = await PageAsync($"/Sms?q={Uri.EscapeDataString(term)}");
        var log = Regex.Match(html, "<table[^>]*id=\"sms-log\".*?</table>", RegexOptions.Singleline).Value;

        Assert.Equal(expected, Regex.Matches(log, "<tr data-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Terms))]
    public async Task The_audit_user_filter_finds_only_entries_whose_user_contains_the_term(string term)
    {
        var expected = Expected(term, p => $"{p.Surname}@example.com").Count;
        var html = await PageAsync($"/Audit?Actor={Uri.EscapeDataString(term)}");

        Assert.Contains($"<p class=\"text-body-secondary\" id=\"audit-count\">{expected} entries</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"text-body-secondary\" id=\"audit-count\">0 entries</p>", await PageAsync($"/Audit?Kind={Uri.EscapeDataString(term)}"), StringComparison.Ordinal);
    }

    private const string NotValid = "is not valid";

    private const string NoSuchDay = "must be a day from 1900-01-01 to 9998-12-31";

    /// <summary>
    /// Filters a page or API reads, each with a value it cannot use (a number that is not one, an unknown choice, an absurd
    /// date, a huge page), and what the answer must say: a value that cannot be read is named on the page (or refused
    /// with the reason); one that can be read but matches nothing, or a page past the end, just gives that list.
    /// </summary>
    public static TheoryData<string, string?> BadFilters() => new()
    {
        { "/Customers?p=abc", NotValid }, { "/Customers?p=99999999999", NotValid }, { "/Customers?p=2147483647&sort=Sideways", NotValid },
        { "/Customers?sort=%27%3B--", NotValid }, { "/Meters?p=-5", null }, { "/Meters?p=abc&q=%25", NotValid },
        { "/Transactions?miniGrid=abc", NotValid }, { "/Transactions?miniGrid=-1&status=bogus", null }, { "/Transactions?from=2026-13-45", NotValid },
        { "/Transactions?from=0001-01-01&to=9999-12-31", NoSuchDay }, { "/Transactions?amountFrom=abc&amountTo=1e30", NotValid },
        { "/Transactions?p=2147483647", null }, { "/Transactions?handler=Csv&from=0001-01-01&to=9999-12-31", NoSuchDay },
        { "/Transactions?handler=Csv&miniGrid=abc", NotValid },
        { "/Tickets?Category=abc", NotValid }, { "/Tickets?Assignee=-1&MiniGrid=99999999999999999999", NotValid }, { "/Tickets?Status=bogus&p=2147483647", null },
        { "/Maintenance?Status=%27&p=2147483647", null }, { "/Maintenance?p=abc", NotValid },
        { "/Sms?dir=sideways&status=bogus", null }, { "/Sms?p=2147483647", null }, { "/Sms?p=abc&To=mini-grid:abc", NotValid }, { "/Sms?To=customers&Chosen=abc", NotValid },
        { "/Audit?From=9999-12-31&To=9999-12-31", NoSuchDay }, { "/Audit?From=abc&To=0001-01-01", NotValid }, { "/Audit?p=2147483647", null }, { "/Audit?p=-1", null },
        { "/?from=abc&to=9999-12-31", "from must be a date like" }, { "/?from=0001-01-01&to=0001-01-02", null },
        { "/Dashboards/Cluster/1?from=9999-12-31", "to must not be before from" }, { "/Dashboards/MiniGrid/1?from=2026-02-30", "from must be a date like" },
        { "/Places/Clusters?p=2147483647", null }, { "/Places/MiniGrids?p=2147483647", null }, { "/Places/Villages?p=abc", null },
        { "/Reports?run=abc", null }, { "/Reports?handler=Run&id=abc", null },
        { "/api/v1/customers?page=abc&pageSize=-1", "page must be" }, { "/api/v1/customers?sort=bogus", "sort must be" },
        { "/api/v1/meters?page=2147483647&pageSize=100000", "pageSize must be" },
        { "/api/v1/transactions?from=abc", "from must be an ISO date" }, { "/api/v1/transactions?status=bogus", "status must be one of" },
        { "/api/v1/transactions?from=0001-01-01&to=9999-12-31", NoSuchDay }, { "/api/v1/transactions?from=0001-01-01T00:00&to=9999-12-31T23:59:59Z", NoSuchDay },
        { "/api/v1/transactions?page=2147483647", null },
        { "/api/v1/dashboards/clusters?from=9999-12-31", "to must not be before from" }, { "/api/v1/dashboards/clusters?from=abc", "from must be a date like" },
        { "/api/v1/dashboards/mini-grids/1?to=0001-01-01", "to must not be before from" },
    };

    [Theory]
    [MemberData(nameof(BadFilters))]
    public async Task A_bad_filter_value_gets_an_answer_not_an_error(string url, string? says)
    {
        var client = url.StartsWith("/api/", StringComparison.Ordinal) ? world.Api : world.Admin;

        var response = await client.GetAsync(url);

        var status = (int)response.StatusCode;
        var body = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(status is 200 or 400 or 404, $"{url}: {status}\n{body}");
        if (says is not null)
        {
            Assert.True(body.Contains(says, StringComparison.Ordinal), $"{url} ({status}) does not say \"{says}\":\n{body}");
        }
    }
}
