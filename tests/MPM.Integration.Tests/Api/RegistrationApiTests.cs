using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MPM.Web.Features.Customers;
using Xunit;
using static MPM.Integration.Tests.Api.ApiHost;

namespace MPM.Integration.Tests.Api;

/// <summary>POST /api/v1/registrations, the customer and meter searches and GET /api/v1/meters/{serial}, with every error answer.</summary>
public sealed class RegistrationApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private object Registration(string serial, string surname, long? tariffId = null, string phone = "+255712345678") => new
    {
        customer = new { name = "Asha", surname, phone, birthDate = "1990-04-12", gender = "female" },
        address = new { villageId = host.VillageId, street = "Market road 4", latitude = -2.521m, longitude = 32.921m },
        meter = new
        {
            serialNumber = serial,
            manufacturerId = host.ManufacturerId,
            tariffId = tariffId ?? host.AccessRateTariffId,
            connectionTypeId = host.ConnectionTypeId,
            connectionGroupId = host.ConnectionGroupId,
        },
    };

    private async Task<(long Customers, long Addresses, long Meters, long Accounts)> CountsAsync() =>
        (await host.CountAsync("customers"), await host.CountAsync("addresses"), await host.CountAsync("meters"), await host.CountAsync("access_rate_accounts"));

    private async Task<Dictionary<string, string>> RejectedAsync(string json)
    {
        var before = await CountsAsync();
        var errors = await ErrorsAsync(await host.PostJsonAsync("/api/v1/registrations", json));
        Assert.Equal(before, await CountsAsync());
        return errors;
    }

    [Fact]
    public async Task ARegistrationIsFoundByTheCustomerSearchAndByItsSerial()
    {
        var serial = Serial();
        var surname = Unique("Mwakasege");

        var response = await host.PostAsync("/api/v1/registrations", Registration(serial, surname));

        var created = await JsonAsync(response, HttpStatusCode.Created);
        var customerId = created.GetProperty("customerId").GetInt64();
        var meterId = created.GetProperty("meterId").GetInt64();
        Assert.Equal($"/api/v1/meters/{serial}", response.Headers.Location?.OriginalString);

        var found = await JsonAsync(await host.Client.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(surname.ToUpperInvariant())}"));
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        var customer = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(customerId, customer.GetProperty("id").GetInt64());
        Assert.Equal(surname, customer.GetProperty("surname").GetString());
        Assert.Equal("+255712345678", customer.GetProperty("phone").GetString());
        Assert.Equal(host.VillageName, customer.GetProperty("city").GetString());
        Assert.Equal(serial, customer.GetProperty("meterSerials").GetString());

        // The operators' customer search (what the Customers page lists) finds it too.
        await using (var scope = host.Factory.Services.CreateAsyncScope())
        {
            var web = await scope.ServiceProvider.GetRequiredService<CustomerDirectory>().SearchAsync(surname, 1, 25, CustomerSort.Name);
            Assert.Equal(customerId, Assert.Single(web.Items).Id);
        }

        var meter = await JsonAsync(await host.Client.GetAsync($"/api/v1/meters/{serial}"));
        Assert.Equal(meterId, meter.GetProperty("id").GetInt64());
        Assert.True(meter.GetProperty("inUse").GetBoolean());
        Assert.Equal(customerId, meter.GetProperty("owner").GetProperty("id").GetInt64());
        Assert.Equal("Asha", meter.GetProperty("owner").GetProperty("name").GetString());
        Assert.Equal(host.AccessRateTariffId, meter.GetProperty("tariff").GetProperty("id").GetInt64());
        Assert.Equal(510m, meter.GetProperty("tariff").GetProperty("totalPricePerKWh").GetDecimal());
        Assert.Equal(host.ManufacturerId, meter.GetProperty("manufacturer").GetProperty("id").GetInt64());
        Assert.Equal("sts", meter.GetProperty("manufacturer").GetProperty("tokenGenerator").GetString());
        Assert.Equal(host.VillageName, meter.GetProperty("village").GetProperty("name").GetString());
        Assert.Equal(host.ConnectionTypeId, meter.GetProperty("connectionType").GetProperty("id").GetInt64());
        Assert.Equal(host.ConnectionGroupId, meter.GetProperty("connectionGroup").GetProperty("id").GetInt64());
        Assert.Equal(-2.521m, meter.GetProperty("latitude").GetDecimal());

        // The tariff's access rate opened an account at registration: nothing owed, first due one period later.
        var accessRate = meter.GetProperty("accessRate");
        var registeredOn = DateOnly.FromDateTime(meter.GetProperty("registeredAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(0m, accessRate.GetProperty("debt").GetDecimal());
        Assert.Equal(1000m, accessRate.GetProperty("amount").GetDecimal());
        Assert.Equal(7, accessRate.GetProperty("periodDays").GetInt32());
        Assert.Equal(registeredOn.AddDays(7), DateOnly.Parse(accessRate.GetProperty("nextDue").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AMeterOnATariffWithoutAccessRateHasNoAccount()
    {
        var serial = Serial();
        await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration(serial, Unique("Plain"), host.PlainTariffId)), HttpStatusCode.Created);

        var meter = await JsonAsync(await host.Client.GetAsync($"/api/v1/meters/{serial}"));

        Assert.Equal(JsonValueKind.Null, meter.GetProperty("accessRate").ValueKind);
        Assert.Equal(350m, meter.GetProperty("tariff").GetProperty("totalPricePerKWh").GetDecimal());
    }

    [Fact]
    public async Task TheSameSerialAgainIsAConflictAndMakesNoSecondCustomer()
    {
        var serial = Serial();
        var surname = Unique("Kimaro");
        await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration(serial, surname)), HttpStatusCode.Created);
        var before = await CountsAsync();

        var detail = await ProblemAsync(await host.PostAsync("/api/v1/registrations", Registration(serial, Unique("Other"))), HttpStatusCode.Conflict);

        Assert.Contains(serial, detail);
        Assert.Equal(before, await CountsAsync());
        var found = await JsonAsync(await host.Client.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(serial)}"));
        Assert.Equal(surname, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("surname").GetString());
    }

    [Fact]
    public async Task OfTwentyConcurrentRegistrationsOfOneSerialExactlyOneSucceeds()
    {
        var serial = Serial();
        var surname = Unique("Race");
        var before = await CountsAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.PostAsync("/api/v1/registrations", Registration(serial, surname))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal((before.Customers + 1, before.Addresses + 1, before.Meters + 1, before.Accounts + 1), await CountsAsync());
    }

    [Fact]
    public async Task ABodyWithoutTheSerialNumberNamesThatField()
    {
        var body = JsonSerializer.Serialize(Registration(Serial(), Unique("Noserial")));
        var withoutSerial = System.Text.RegularExpressions.Regex.Replace(body, "\"serialNumber\":\"[^\"]*\",", "");

        var errors = await RejectedAsync(withoutSerial);

        Assert.Equal("meter.serialNumber", Assert.Single(errors.Keys));
        Assert.Contains("required", errors["meter.serialNumber"]);
    }

    [Fact]
    public async Task EveryMissingRequiredFieldIsNamed()
    {
        Assert.Equal(["address", "customer", "meter"], (await RejectedAsync("{}")).Keys.Order());

        var errors = await RejectedAsync("""{"customer":{},"address":{},"meter":{"connectionTypeId":null}}""");

        Assert.Equal(
            ["address.villageId", "customer.name", "customer.phone", "customer.surname", "meter.manufacturerId", "meter.serialNumber", "meter.tariffId"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InvalidValuesAreNamed()
    {
        var errors = await RejectedAsync($$"""
            {"customer":{"name":"A","surname":"Mushi","phone":"0712345678","gender":"unknown"},
             "address":{"villageId":{{host.VillageId}},"latitude":95,"longitude":32.9},
             "meter":{"serialNumber":"47 00","manufacturerId":{{host.ManufacturerId}},"tariffId":{{host.PlainTariffId}}} }
            """);

        Assert.Equal(["address.latitude", "customer.gender", "customer.name", "customer.phone", "meter.serialNumber"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("international", errors["customer.phone"]);
    }

    [Fact]
    public async Task UnknownVillageTariffManufacturerAndGroupsAreNamedAndNothingIsStored()
    {
        var errors = await RejectedAsync($$"""
            {"customer":{"name":"Neema","surname":"{{Unique("Lyimo")}}","phone":"+255712000111"},
             "address":{"villageId":999999},
             "meter":{"serialNumber":"{{Serial()}}","manufacturerId":999999,"tariffId":999999,"connectionTypeId":999999,"connectionGroupId":999999} }
            """);

        Assert.Equal(
            ["address.villageId", "meter.connectionGroupId", "meter.connectionTypeId", "meter.manufacturerId", "meter.tariffId"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("999999", errors["address.villageId"]);
    }

    [Fact]
    public async Task AValueOfTheWrongTypeIsNamedByItsPath()
    {
        var registration = JsonSerializer.Serialize(Registration(Serial(), Unique("Types")));

        var latitude = await RejectedAsync(registration.Replace("-2.521", "\"north\""));
        var birthDate = await RejectedAsync(registration.Replace("1990-04-12", "12/04/1990"));
        var tariff = await RejectedAsync(registration.Replace($"\"tariffId\":{host.AccessRateTariffId}", "\"tariffId\":[1]"));
        var village = await RejectedAsync(registration.Replace($"\"villageId\":{host.VillageId}", "\"villageId\":\"abc\""));

        Assert.Equal("address.villageId", Assert.Single(village.Keys));
        Assert.Equal("address.latitude", Assert.Single(latitude.Keys));
        Assert.Equal("customer.birthDate", Assert.Single(birthDate.Keys));
        Assert.Equal("meter.tariffId", Assert.Single(tariff.Keys));
    }

    [Fact]
    public async Task ABodyThatIsNotAJsonObjectIsRefused()
    {
        Assert.Contains("not valid JSON", (await RejectedAsync("""{"customer": {"name": "Asha",""")).GetValueOrDefault("body"));
        Assert.Contains("JSON object", (await RejectedAsync("[1, 2]")).GetValueOrDefault("body"));
        Assert.Contains("JSON object", (await RejectedAsync("null")).GetValueOrDefault("body"));

        var form = await host.Client.PostAsync("/api/v1/registrations", new FormUrlEncodedContent(new Dictionary<string, string> { ["serialNumber"] = Serial() }));
        Assert.Contains("application/json", await ProblemAsync(form, HttpStatusCode.UnsupportedMediaType));
    }

    [Fact]
    public async Task ABodyOverOneMegabyteIsRefused()
    {
        var before = await CountsAsync();
        var registration = JsonSerializer.Serialize(Registration(Serial(), Unique("Large"))).Replace("Market road 4", new string('x', 1024 * 1024));

        var detail = await ProblemAsync(await host.PostJsonAsync("/api/v1/registrations", registration), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("1024 KB", detail);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task EveryRouteNeedsAValidApiKey()
    {
        string[] routes = ["/api/v1/customers", "/api/v1/meters", "/api/v1/meters/X1", "/api/v1/clusters", "/api/v1/mini-grids", "/api/v1/villages",
            "/api/v1/tariffs", "/api/v1/connection-types", "/api/v1/connection-groups", "/api/v1/manufacturers"];
        using var anonymous = host.Factory.CreateClient();
        using var wrongKey = host.Factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "mpm_00000000_not-a-key");
        var before = await CountsAsync();

        foreach (var client in new[] { anonymous, wrongKey })
        {
            foreach (var route in routes)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(route)).StatusCode);
            }

            foreach (var route in routes.Where(r => r != "/api/v1/meters/X1").Append("/api/v1/registrations"))
            {
                var body = route.EndsWith("registrations") ? Registration(Serial(), Unique("Nokey")) : new { name = Unique("Nokey") };
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(route, System.Net.Http.Json.JsonContent.Create(body))).StatusCode);
            }
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task MetersAreSearchedBySerialAndTariffNameAndPaged()
    {
        var prefix = $"PG{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        foreach (var n in new[] { 3, 1, 2 })
        {
            await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration($"{prefix}-{n}", Unique("Paged"), host.PlainTariffId)), HttpStatusCode.Created);
        }

        var first = await JsonAsync(await host.Client.GetAsync($"/api/v1/meters?search={prefix.ToLowerInvariant()}&pageSize=2"));
        var second = await JsonAsync(await host.Client.GetAsync($"/api/v1/meters?search={prefix}&page=2&pageSize=2"));
        var byTariff = await JsonAsync(await host.Client.GetAsync($"/api/v1/meters?search={Uri.EscapeDataString(host.PlainTariffName)}&pageSize=100"));

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([$"{prefix}-1", $"{prefix}-2"], first.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("serialNumber").GetString()));
        Assert.Equal([$"{prefix}-3"], second.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("serialNumber").GetString()));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        var tariffSerials = byTariff.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("serialNumber").GetString()).ToList();
        Assert.Contains($"{prefix}-1", tariffSerials);
        Assert.All(byTariff.GetProperty("items").EnumerateArray(), m => Assert.Equal(host.PlainTariffName, m.GetProperty("tariff").GetString()));
    }

    [Fact]
    public async Task SearchTextIsTextNeverAPattern()
    {
        var surname = Unique("Mc%_'Neil");
        var tariffName = Unique("Promo%_'50");
        var tariffId = await CreatedIdAsync(await host.PostAsync("/api/v1/tariffs", new { name = tariffName, pricePerKWh = 250m }));
        var serial = Serial();
        await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration(serial, surname, tariffId)), HttpStatusCode.Created);
        await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration(Serial(), Unique("Plain"))), HttpStatusCode.Created);

        foreach (var special in new[] { "%", "_", "'", "%_'" })
        {
            var customers = (await JsonAsync(await host.Client.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(special)}&pageSize=100"))).GetProperty("items").EnumerateArray().ToList();
            var meters = (await JsonAsync(await host.Client.GetAsync($"/api/v1/meters?search={Uri.EscapeDataString(special)}&pageSize=100"))).GetProperty("items").EnumerateArray().ToList();

            // As patterns they would match every customer and meter.
            Assert.Equal(surname, Assert.Single(customers).GetProperty("surname").GetString());
            Assert.Equal(serial, Assert.Single(meters).GetProperty("serialNumber").GetString());
        }
    }

    [Fact]
    public async Task CustomersAreSorted()
    {
        var surname = Unique("Sorted");
        await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration(Serial(), surname, phone: "+255700000002")), HttpStatusCode.Created);
        await JsonAsync(await host.PostAsync("/api/v1/registrations", Registration(Serial(), surname, phone: "+255700000001")), HttpStatusCode.Created);

        var newest = await JsonAsync(await host.Client.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(surname)}&sort=newest"));
        var byPhone = await JsonAsync(await host.Client.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(surname)}&sort=PHONE"));

        Assert.Equal(["+255700000001", "+255700000002"], newest.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("phone").GetString()));
        Assert.Equal(["+255700000001", "+255700000002"], byPhone.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("phone").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/customers?page=0", "page")]
    [InlineData("/api/v1/customers?page=two", "page")]
    [InlineData("/api/v1/customers?pageSize=101", "pageSize")]
    [InlineData("/api/v1/customers?pageSize=-1", "pageSize")]
    [InlineData("/api/v1/customers?sort=age", "sort")]
    [InlineData("/api/v1/meters?page=1.5", "page")]
    [InlineData("/api/v1/meters?pageSize=0", "pageSize")]
    public async Task BadPagingIsNamed(string url, string field)
    {
        var errors = await ErrorsAsync(await host.Client.GetAsync(url));

        Assert.Equal(field, Assert.Single(errors.Keys));
    }

    [Fact]
    public async Task AnUnknownSerialIsNotFound()
    {
        var detail = await ProblemAsync(await host.Client.GetAsync("/api/v1/meters/NO-SUCH-METER"), HttpStatusCode.NotFound);

        Assert.Contains("NO-SUCH-METER", detail);
    }
}
