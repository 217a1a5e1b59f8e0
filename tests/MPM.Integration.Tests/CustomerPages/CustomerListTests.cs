using System.Net;
using Xunit;
using static MPM.Integration.Tests.CustomerPages.CustomerPagesFixture;

namespace MPM.Integration.Tests.CustomerPages;

public sealed class CustomerListTests(CustomerPagesFixture fixture) : IClassFixture<CustomerPagesFixture>
{
    [Fact]
    public async Task The_search_box_finds_a_customer_by_surname_phone_city_or_meter_serial()
    {
        var surname = "Mwa" + UniqueLetters();
        var city = "Ki" + UniqueLetters();
        var phone = UniquePhone();
        var serial = UniqueSerial();
        var (customerId, _) = await fixture.RegisterAsync("Neema", surname, phone, serial, await fixture.AddVillageAsync(city));
        var (otherId, _) = await fixture.RegisterAsync("Juma", "Other" + UniqueLetters(), UniquePhone(), UniqueSerial());

        foreach (var term in new[] { surname, surname.ToUpperInvariant(), phone, city, serial, serial[3..9] })
        {
            var html = await GetPageAsync(fixture.Manager, $"/Customers?q={Uri.EscapeDataString(term)}");
            Assert.Equal([customerId], LinkedIds(html, "customers-table", "Customers"));
            Assert.DoesNotContain(otherId, LinkedIds(html, "customers-table", "Customers"));
        }

        var row = Decode(TableOf(await GetPageAsync(fixture.Manager, $"/Customers?q={surname}"), "customers-table"));
        Assert.Contains(phone, row);
        Assert.Contains(city, row);
        Assert.Contains(serial, row);
    }

    [Fact]
    public async Task The_list_is_paged_by_25_and_sorted_by_name_newest_or_phone()
    {
        // 27 customers sharing a tag: names in alphabetical order of registration, phones in the opposite order.
        var tag = "Pg" + UniqueLetters();
        var ids = new List<long>();
        for (var i = 0; i < 27; i++)
        {
            var surname = $"{tag}{(char)('a' + i / 26)}{(char)('a' + i % 26)}";
            var (id, _) = await fixture.RegisterAsync("Asha", surname, $"+25571{99 - i:00}00000", UniqueSerial());
            ids.Add(id);
        }

        var byName = LinkedIds(await GetPageAsync(fixture.Manager, $"/Customers?q={tag}&sort=Name"), "customers-table", "Customers");
        Assert.Equal(ids.Take(25), byName);
        var pageTwo = await GetPageAsync(fixture.Manager, $"/Customers?q={tag}&sort=Name&p=2");
        Assert.Equal(ids.Skip(25), LinkedIds(pageTwo, "customers-table", "Customers"));
        Assert.Contains("Showing 26–27 of 27", Decode(pageTwo));

        var newest = LinkedIds(await GetPageAsync(fixture.Manager, $"/Customers?q={tag}&sort=Newest"), "customers-table", "Customers");
        Assert.Equal(Enumerable.Reverse(ids).Take(25), newest);

        var byPhone = LinkedIds(await GetPageAsync(fixture.Manager, $"/Customers?q={tag}&sort=Phone"), "customers-table", "Customers");
        Assert.Equal(Enumerable.Reverse(ids).Take(25), byPhone);
    }

    [Theory]
    [InlineData("/Customers?p=999999999")]
    [InlineData("/Customers?p=-3&sort=Sideways")]
    [InlineData("/Meters?p=2147483647")]
    public async Task Odd_page_numbers_and_sort_orders_still_show_a_list(string url)
    {
        await fixture.RegisterAsync("Odd", "Page" + UniqueLetters(), UniquePhone(), UniqueSerial());

        var response = await fixture.Manager.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Showing", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("%%%")]
    [InlineData("' OR '1'='1")]
    [InlineData("\\")]
    [InlineData("~")]
    public async Task A_search_with_SQL_or_LIKE_metacharacters_is_plain_text(string term)
    {
        await fixture.RegisterAsync("Baraka", "Plain" + UniqueLetters(), UniquePhone(), UniqueSerial());

        var html = await GetPageAsync(fixture.Manager, $"/Customers?q={Uri.EscapeDataString(term)}");

        Assert.Empty(LinkedIds(html, "customers-table", "Customers"));
        Assert.Contains("No customer matches this search.", html);
    }

    [Fact]
    public async Task A_quote_in_the_search_finds_the_name_that_has_it()
    {
        var surname = "O'" + UniqueLetters();
        var (customerId, _) = await fixture.RegisterAsync("Brian", surname, UniquePhone(), UniqueSerial());
        var (otherId, _) = await fixture.RegisterAsync("Brian", "O" + UniqueLetters(), UniquePhone(), UniqueSerial());

        var html = await GetPageAsync(fixture.Manager, $"/Customers?q={Uri.EscapeDataString(surname)}");

        Assert.Equal([customerId], LinkedIds(html, "customers-table", "Customers"));
        Assert.DoesNotContain(otherId, LinkedIds(html, "customers-table", "Customers"));
    }
}
