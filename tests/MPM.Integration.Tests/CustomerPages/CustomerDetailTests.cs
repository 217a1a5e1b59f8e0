using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using MPM.Testing;
using Xunit;
using static MPM.Integration.Tests.CustomerPages.CustomerPagesFixture;

namespace MPM.Integration.Tests.CustomerPages;

public sealed class CustomerDetailTests(CustomerPagesFixture fixture) : IClassFixture<CustomerPagesFixture>
{
    [Fact]
    public async Task The_detail_page_shows_every_section_with_the_meters_on_the_map()
    {
        var serial = UniqueSerial();
        var (customerId, meterId) = await fixture.RegisterAsync("Neema", "Kato" + UniqueLetters(), UniquePhone(), serial, tariffId: fixture.AccessTariffId, latitude: -1.2345m, longitude: 31.5678m);

        var html = await GetPageAsync(fixture.Viewer, $"/Customers/{customerId}");

        foreach (var section in new[] { "customer-basics", "payment-flow", "customer-meters", "customer-map", "addresses", "sold-assets", "payments", "payment-types", "tickets" })
        {
            Assert.Contains($"id=\"{section}\"", html);
        }

        Assert.Contains("No payments yet.", html);
        Assert.Contains("No tickets yet.", html);
        Assert.Contains($"href=\"/Meters/{meterId}\"", TableOf(html, "customer-meters-table"));
        Assert.Contains("Kibaoni", TableOf(html, "addresses-table"));
        Assert.Contains("primary", TableOf(html, "addresses-table"));
        // The access-rate account of a weekly tariff: nothing owed yet, due a week after registration.
        var nextDue = await fixture.WithDbAsync(db => db.AccessRateAccounts.Where(a => a.MeterId == meterId).Select(a => a.NextDue).FirstAsync());
        Assert.Contains($"<td>0.00 TZS</td>", TableOf(html, "customer-meters-table"));
        Assert.Contains($"<td>{nextDue:yyyy-MM-dd}</td>", TableOf(html, "customer-meters-table"));
        Assert.Equal([(serial, -1.2345m, 31.5678m)], MapPoints(html));
        // Viewers read; the forms are for managers and admins.
        Assert.DoesNotContain("id=\"customer-form\"", html);
        Assert.DoesNotContain("id=\"address-form\"", html);
        Assert.DoesNotContain("id=\"sale-form\"", html);
    }

    [Fact]
    public async Task A_meter_without_coordinates_is_shown_at_the_primary_address_or_else_at_its_village()
    {
        var (atVillage, _) = await fixture.RegisterAsync("Neema", "Vil" + UniqueLetters(), UniquePhone(), UniqueSerial());
        Assert.Equal([(-1.30m, 31.80m)], MapPoints(await GetPageAsync(fixture.Viewer, $"/Customers/{atVillage}")).Select(p => (p.Latitude, p.Longitude)));

        var (atHome, meterId) = await fixture.RegisterAsync("Neema", "Home" + UniqueLetters(), UniquePhone(), UniqueSerial(), latitude: -2.5m, longitude: 32.25m);
        await fixture.WithDbAsync(db => db.Meters.Where(m => m.Id == meterId).Set(m => m.Latitude, (decimal?)null).Set(m => m.Longitude, (decimal?)null).UpdateAsync());
        Assert.Equal([(-2.5m, 32.25m)], MapPoints(await GetPageAsync(fixture.Viewer, $"/Customers/{atHome}")).Select(p => (p.Latitude, p.Longitude)));
    }

    [Fact]
    public async Task An_unknown_customer_is_404()
    {
        var response = await fixture.Viewer.GetAsync("/Customers/987654321");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_manager_edits_the_basic_details_and_the_search_follows()
    {
        var oldSurname = "Old" + UniqueLetters();
        var newSurname = "New" + UniqueLetters();
        var (customerId, _) = await fixture.RegisterAsync("Neema", oldSurname, UniquePhone(), UniqueSerial());

        var response = await MpmWebFactory.PostFormAsync(fixture.Manager, $"/Customers/{customerId}?handler=Customer", new()
        {
            ["Customer.Name"] = " Rehema ",
            ["Customer.Surname"] = newSurname,
            ["Customer.Phone"] = "+255788000111",
            ["Customer.BirthDate"] = "1990-04-02",
            ["Customer.Gender"] = "female",
        }, $"/Customers/{customerId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var customer = await fixture.WithDbAsync(db => db.Customers.FirstAsync(c => c.Id == customerId));
        Assert.Equal(("Rehema", newSurname, "+255788000111", new DateOnly(1990, 4, 2), "female"), (customer.Name, customer.Surname, customer.Phone, customer.BirthDate, customer.Gender));
        Assert.Equal([customerId], LinkedIds(await GetPageAsync(fixture.Manager, $"/Customers?q={newSurname}"), "customers-table", "Customers"));
        Assert.Empty(LinkedIds(await GetPageAsync(fixture.Manager, $"/Customers?q={oldSurname}"), "customers-table", "Customers"));
        Assert.Equal(1, await fixture.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == "customer.updated" && a.Actor == ManagerEmail && a.Details.Contains(newSurname))));
    }

    [Theory]
    [InlineData("A", "Kato", "+255788000111", "", "name must have at least 2 letters")]
    [InlineData("Neema", "", "+255788000111", "", "surname is required")]
    [InlineData("Neema", "Kato", "0788000111", "", "phone must be in international form")]
    [InlineData("Neema", "Kato", "+255788000111", "2999-01-01", "birth date cannot be in the future")]
    [InlineData("Neema", "Kato", "+255788000111", "not-a-date", "is not valid")]
    public async Task Bad_basic_details_show_the_form_again_with_the_error_and_change_nothing(string name, string surname, string phone, string birthDate, string error)
    {
        var surnameBefore = "Same" + UniqueLetters();
        var (customerId, _) = await fixture.RegisterAsync("Neema", surnameBefore, "+255700000001", UniqueSerial());

        var response = await MpmWebFactory.PostFormAsync(fixture.Manager, $"/Customers/{customerId}?handler=Customer", new()
        {
            ["Customer.Name"] = name,
            ["Customer.Surname"] = surname,
            ["Customer.Phone"] = phone,
            ["Customer.BirthDate"] = birthDate,
        }, $"/Customers/{customerId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains(error, html);
        Assert.Contains("pt-3 show\" id=\"customer-form\"", html);
        var customer = await fixture.WithDbAsync(db => db.Customers.FirstAsync(c => c.Id == customerId));
        Assert.Equal(("Neema", surnameBefore, "+255700000001", (DateOnly?)null), (customer.Name, customer.Surname, customer.Phone, customer.BirthDate));
    }

    [Fact]
    public async Task A_viewer_may_read_but_not_change_a_customer()
    {
        var surname = "View" + UniqueLetters();
        var (customerId, _) = await fixture.RegisterAsync("Neema", surname, UniquePhone(), UniqueSerial());

        foreach (var (handler, field, value) in new[] { ("Customer", "Customer.Name", "Changed"), ("Address", "Address.VillageId", fixture.VillageId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Sale", "Sale.AssetTypeId", fixture.PumpTypeId.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
        {
            var response = await MpmWebFactory.PostFormAsync(fixture.Viewer, $"/Customers/{customerId}?handler={handler}", new()
            {
                [field] = value,
                ["Customer.Surname"] = "Changed",
                ["Customer.Phone"] = "+255788000111",
                ["Sale.RateCount"] = "3",
                ["Sale.RatePeriod"] = "monthly",
                ["Sale.FirstPaymentDate"] = "2026-01-01",
            }, $"/Customers/{customerId}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(surname, await fixture.WithDbAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.Surname).FirstAsync()));
        Assert.Equal(1, await fixture.WithDbAsync(db => db.Addresses.CountAsync(a => a.CustomerId == customerId)));
        Assert.Equal(0, await fixture.WithDbAsync(db => db.AssetSales.CountAsync(s => s.CustomerId == customerId)));
    }

    [Fact]
    public async Task Adding_addresses_keeps_exactly_one_primary_whose_phone_receives_SMS()
    {
        var phone = UniquePhone();
        var (customerId, _) = await fixture.RegisterAsync("Neema", "Addr" + UniqueLetters(), phone, UniqueSerial());
        var market = await fixture.AddVillageAsync("Market " + UniqueLetters());

        // Not primary, no phone given: the customer's phone; the registration's address stays primary.
        Assert.Equal(HttpStatusCode.Redirect, (await AddAddressAsync(customerId, market, "Shop street", "", primary: false)).StatusCode);
        var addresses = await AddressesAsync(customerId);
        Assert.Equal(2, addresses.Count);
        Assert.Equal([("Main road", phone)], addresses.Where(a => a.IsPrimary).Select(a => (a.Street, a.Phone)));
        Assert.Equal(phone, addresses.Single(a => a.Street == "Shop street").Phone);

        // A new primary address takes over from the old one.
        Assert.Equal(HttpStatusCode.Redirect, (await AddAddressAsync(customerId, market, "Farm lane", "+255711222333", primary: true, latitude: "-1.5", longitude: "31.25")).StatusCode);
        addresses = await AddressesAsync(customerId);
        Assert.Equal(3, addresses.Count);
        var primary = Assert.Single(addresses, a => a.IsPrimary);
        Assert.Equal(("Farm lane", "+255711222333", -1.5m, 31.25m), (primary.Street, primary.Phone, primary.Latitude, primary.Longitude));

        // And "make primary" moves it back.
        var first = addresses.Single(a => a.Street == "Main road");
        var response = await MpmWebFactory.PostFormAsync(fixture.Manager, $"/Customers/{customerId}?handler=Primary", new() { ["addressId"] = first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, $"/Customers/{customerId}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal([first.Id], (await AddressesAsync(customerId)).Where(a => a.IsPrimary).Select(a => a.Id));

        var html = Decode(await GetPageAsync(fixture.Manager, $"/Customers/{customerId}"));
        Assert.Contains("Farm lane", TableOf(html, "addresses-table"));
        Assert.Contains("Shop street", TableOf(html, "addresses-table"));
        // The search text follows the new city.
        var city = await fixture.WithDbAsync(db => db.Villages.Where(v => v.Id == market).Select(v => v.Name).FirstAsync());
        Assert.Equal([customerId], LinkedIds(await GetPageAsync(fixture.Manager, $"/Customers?q={Uri.EscapeDataString(city)}"), "customers-table", "Customers"));
    }

    [Theory]
    [InlineData("", "Street", "+255711222333", "", "", "village is required")]
    [InlineData("999999", "Street", "+255711222333", "", "", "village 999999 does not exist")]
    [InlineData("VILLAGE", "Street", "0711", "", "", "phone must be in international form")]
    [InlineData("VILLAGE", "Street", "", "91", "31", "latitude must be between -90 and 90")]
    [InlineData("VILLAGE", "Street", "", "-1.5", "", "latitude and longitude go together")]
    [InlineData("VILLAGE", "Street", "", "north", "31", "is not valid")]
    public async Task A_bad_address_is_refused_and_nothing_changes(string village, string street, string phone, string latitude, string longitude, string error)
    {
        var (customerId, _) = await fixture.RegisterAsync("Neema", "Bad" + UniqueLetters(), UniquePhone(), UniqueSerial());
        var before = await AddressesAsync(customerId);

        var response = await AddAddressAsync(customerId, village == "VILLAGE" ? fixture.VillageId.ToString(System.Globalization.CultureInfo.InvariantCulture) : village, street, phone, primary: true, latitude, longitude);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, Decode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(before.Select(Summary), (await AddressesAsync(customerId)).Select(Summary));
    }

    private Task<HttpResponseMessage> AddAddressAsync(long customerId, long villageId, string street, string phone, bool primary, string latitude = "", string longitude = "") =>
        AddAddressAsync(customerId, villageId.ToString(System.Globalization.CultureInfo.InvariantCulture), street, phone, primary, latitude, longitude);

    private Task<HttpResponseMessage> AddAddressAsync(long customerId, string villageId, string street, string phone, bool primary, string latitude, string longitude)
    {
        var fields = new Dictionary<string, string>
        {
            ["Address.VillageId"] = villageId,
            ["Address.Street"] = street,
            ["Address.Phone"] = phone,
            ["Address.Latitude"] = latitude,
            ["Address.Longitude"] = longitude,
        };
        if (primary)
        {
            fields["Address.Primary"] = "true";
        }

        return MpmWebFactory.PostFormAsync(fixture.Manager, $"/Customers/{customerId}?handler=Address", fields, $"/Customers/{customerId}");
    }

    /// <summary>The points of the meters' map: the JSON block the page's script reads.</summary>
    private static List<(string Serial, decimal Latitude, decimal Longitude)> MapPoints(string html)
    {
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"customer-map-points\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        return JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(p => (p.GetProperty("serial").GetString()!, p.GetProperty("lat").GetDecimal(), p.GetProperty("lng").GetDecimal()))
            .ToList();
    }

    private static (long, string?, string?, bool) Summary(MPM.Data.AddressRecord a) => (a.Id, a.Street, a.Phone, a.IsPrimary);

    private Task<List<MPM.Data.AddressRecord>> AddressesAsync(long customerId) =>
        fixture.WithDbAsync(db => db.Addresses.Where(a => a.CustomerId == customerId).OrderBy(a => a.Id).ToListAsync());
}
