using System.Net;
using System.Text;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Transactions;
using Xunit;

namespace MPM.Integration.Tests.TransactionPages;

/// <summary>The list page's filters, paging and CSV export over the fixture's transactions.</summary>
[Collection(TransactionPagesCollection.Name)]
public sealed class TransactionListTests(TransactionPagesFixture fixture)
{
    private async Task<IReadOnlyList<long>> ListedAsync(string query) => TransactionPagesFixture.ListedIds(await fixture.GetPageAsync($"/Transactions?{query}"));

    [Fact]
    public async Task The_list_is_newest_first_and_paged_by_25()
    {
        var first = await fixture.GetPageAsync("/Transactions");
        var second = await fixture.GetPageAsync("/Transactions?p=2");

        var all = fixture.Recent.Concat(fixture.Bulk).ToList();
        Assert.Equal(all.Take(25), TransactionPagesFixture.ListedIds(first));
        Assert.Equal(all.Skip(25), TransactionPagesFixture.ListedIds(second));
        Assert.Contains("Showing 26–31 of 31", WebUtility.HtmlDecode(second));
    }

    [Fact]
    public async Task The_pager_keeps_the_filters()
    {
        // Every serial has a dash; only T4 is over 1000: 30 rows, two pages.
        var html = await fixture.GetPageAsync("/Transactions?serial=-&amountTo=1000");

        Assert.Contains("href=\"/Transactions?serial=-&amp;amountTo=1000&amp;p=2\"", html);
    }

    [Fact]
    public async Task Meter_serial_matches_any_part_in_any_case()
    {
        Assert.Equal([fixture.T3, fixture.T1, fixture.T5, fixture.T6, fixture.T8, fixture.T10], await ListedAsync("serial=kb-10"));
    }

    [Fact]
    public async Task Customer_matches_part_of_name_and_surname()
    {
        Assert.Equal([fixture.T11, fixture.T2, fixture.T4, fixture.T7, fixture.T9], await ListedAsync("customer=juma+k"));
        Assert.Empty(await ListedAsync("customer=kombo+juma"));
    }

    [Fact]
    public async Task Provider_is_matched_exactly()
    {
        Assert.Equal([fixture.T2, fixture.T4, fixture.T7], await ListedAsync("provider=vodacom"));
        Assert.Empty(await ListedAsync("provider=vodac"));
    }

    [Fact]
    public async Task Status_filters_by_status_and_received_is_not_cancelled()
    {
        Assert.Equal([fixture.T2, fixture.T7], await ListedAsync("status=cancelled"));
        Assert.Equal([fixture.T11, fixture.T3], await ListedAsync("status=received"));
        Assert.Equal([fixture.T8], await ListedAsync("status=processing"));
    }

    [Fact]
    public async Task The_amount_range_includes_both_ends()
    {
        Assert.Equal([fixture.T3, fixture.T2, fixture.T1, fixture.T7, fixture.T9, fixture.T10], await ListedAsync("amountFrom=500&amountTo=1000"));
        Assert.Equal([fixture.T4], await ListedAsync("amountFrom=1000.01"));
    }

    [Fact]
    public async Task Dates_are_the_operators_days_with_the_last_one_included()
    {
        // T4 was received at 00:30 on 2 March in Dar es Salaam, still 1 March in UTC: it belongs to 2 March.
        Assert.Equal([fixture.T5], await ListedAsync("from=2026-03-01&to=2026-03-01"));
        Assert.Equal([fixture.T11, fixture.T3, fixture.T2, fixture.T1, fixture.T4], await ListedAsync("from=2026-03-02"));
        Assert.Equal([fixture.T6, fixture.T8, fixture.T7, fixture.T9], await ListedAsync("from=2026-02-22&to=2026-02-28"));
    }

    [Fact]
    public async Task Mini_grid_and_filters_together_narrow_the_list()
    {
        Assert.Equal([fixture.T11, fixture.T2, fixture.T4, fixture.T7, fixture.T9], await ListedAsync($"miniGrid={fixture.Kyaka}"));
        Assert.Equal([fixture.T1, fixture.T5, fixture.T6, fixture.T10], await ListedAsync($"miniGrid={fixture.Bukoba}&status=confirmed"));
    }

    [Fact]
    public async Task Filter_text_is_data_never_sql()
    {
        Assert.Empty(await ListedAsync("customer=%25"));
        Assert.Empty(await ListedAsync("serial=%27+OR+1%3D1+--"));
        Assert.Empty(await ListedAsync("provider=airtel%27+OR+%271%27%3D%271"));
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_reported_and_left_out()
    {
        var html = await fixture.GetPageAsync("/Transactions?amountFrom=lots&status=cancelled");

        Assert.Contains("'lots'", WebUtility.HtmlDecode(TransactionPagesFixture.Section(html, "div", "transaction-filter-problems")));
        Assert.Equal([fixture.T2, fixture.T7], TransactionPagesFixture.ListedIds(html));
    }

    [Fact]
    public async Task A_script_in_a_name_is_shown_as_text()
    {
        var html = await fixture.GetPageAsync("/Transactions?provider=bulk");

        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task The_csv_export_has_the_filtered_rows_with_formulas_neutralised()
    {
        var response = await fixture.Viewer.GetAsync("/Transactions?handler=Csv&status=confirmed&miniGrid=" + fixture.Rubya);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("id,received_at,completed_at,status,reason,amount,currency,provider,provider_reference,meter_serial,customer,mini_grid,village,energy_kwh", lines[0]);
        Assert.Equal(22, lines.Length); // header, 20 rows, and the empty string after the last line end
        Assert.Equal("", lines[^1]);
        Assert.Equal(
            $"{fixture.Bulk[0]},2025-06-02T03:00:00+03:00,2025-06-02T03:00:02+03:00,confirmed,,50.00,TZS,bulk,BULK-19,PG-3003,\"'=HYPERLINK(\"\"x\"\") <script>alert(1)</script>\",Rubya,Katoke,",
            lines[1]);
        Assert.Equal(fixture.Bulk, lines[1..^1].Select(l => long.Parse(l[..l.IndexOf(',')])));
    }

    [Fact]
    public async Task The_csv_export_uses_the_same_filters_as_the_page()
    {
        var csv = await fixture.Viewer.GetStringAsync("/Transactions?handler=Csv&serial=KB&from=2026-03-01");

        var rows = csv.TrimStart('\uFEFF').Split("\r\n")[1..^1];
        Assert.Equal([fixture.T3, fixture.T1, fixture.T5], rows.Select(r => long.Parse(r[..r.IndexOf(',')])));
        Assert.Equal($"{fixture.T1},2026-03-02T08:00:00+03:00,2026-03-02T08:00:02+03:00,confirmed,,1000.00,TZS,airtel,AT-0001,KB-1001,Asha Mwita,Bukoba,Kashai,1.4", rows[1]);
    }

    [Fact]
    public async Task The_list_query_pages_with_its_total()
    {
        var page = await fixture.WithServiceAsync<TransactionQueries, Paged<TransactionRow>>(q => q.ListAsync(new TransactionFilter(Provider: "airtel"), 2, 4));

        Assert.Equal(6, page.Total);
        Assert.Equal((2, 4), (page.Page, page.PageSize));
        Assert.Equal([fixture.T8, fixture.T10], page.Items.Select(i => i.Id));
    }
}
