using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace MPM.Integration.Tests.TransactionPages;

/// <summary>The detail page of the fixture's T1 (confirmed, fully processed), T7 (cancelled and reversed), T3 and T11.</summary>
[Collection(TransactionPagesCollection.Name)]
public sealed class TransactionDetailTests(TransactionPagesFixture fixture)
{
    private static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(html, "<[^>]+>", " "), @"\s+", " "));

    private static string Section(string html, string id) => TransactionPagesFixture.Section(html, "section", id);

    [Fact]
    public async Task Basic_data_links_the_meter_and_the_customer()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var basics = Section(html, "transaction-basics");
        Assert.Contains($"href=\"/Meters/{fixture.Asha.Meter}\" id=\"transaction-meter\">KB-1001</a>", basics);
        Assert.Contains($"href=\"/Customers/{fixture.Asha.Customer}\" id=\"transaction-customer\">Asha Mwita</a>", basics);
        var text = Text(basics);
        Assert.Contains("Status confirmed", text);
        Assert.Contains("Amount 1,000.00 TZS", text);
        Assert.Contains("Provider airtel", text);
        Assert.Contains("Provider reference AT-0001", text);
        Assert.Contains("Payer phone +255787000000", text);
        Assert.Contains("Place Kashai, Bukoba (Kagera)", text);
        Assert.Contains("Received 2026-03-02 08:00:00", text);
        Assert.Contains("Completed 2026-03-02 08:00:02", text);
        Assert.Contains("Africa/Dar_es_Salaam", text);
    }

    [Fact]
    public async Task Without_a_provider_plugin_the_raw_data_is_shown_as_text()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var provider = Section(html, "transaction-provider");
        Assert.Contains("Provider data: airtel", Text(provider));
        Assert.Contains("&lt;b&gt;paid&lt;/b&gt;", provider);
        Assert.DoesNotContain("<b>", provider);
        Assert.Contains("{\"reference\":\"AT-0001\",\"note\":\"<b>paid</b>\"}", Text(TransactionPagesFixture.Section(provider, "pre", "transaction-raw-data")));
    }

    [Fact]
    public async Task A_provider_plugin_renders_its_own_data()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T11}");

        var provider = Section(html, "transaction-provider");
        Assert.Contains("id=\"fixture-pay-detail\"", provider);
        Assert.Contains("Fixture reference FX-0011", Text(provider));
        Assert.Contains("not confirmed (", Text(provider));
        Assert.DoesNotContain("transaction-raw-data", provider);
    }

    [Fact]
    public async Task The_token_is_shown_in_groups_of_four_with_its_energy()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var token = Section(html, "transaction-token");
        Assert.Contains(">1234 5678 9012 3456 7890<", token);
        Assert.Contains(">1.4 kWh<", token);
    }

    [Fact]
    public async Task The_processing_breakdown_lists_each_allocation_and_charts_the_net_per_type()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var processing = Section(html, "transaction-processing");
        Assert.Equal(3, Regex.Matches(processing, "<tr[^>]*data-type=").Count);
        var text = Text(processing);
        Assert.Contains("Asset rates: Water pump rate due 2026-02-01 200.00 TZS", text);
        Assert.Contains("Access rate: access rate 100.00 TZS", text);
        Assert.Contains("Energy: 1.4 kWh 700.00 TZS", text);
        Assert.Contains("id=\"transaction-breakdown-chart\"", processing);
        var chart = JsonDocument.Parse(WebUtility.HtmlDecode(Regex.Match(processing, "<script type=\"application/json\" id=\"transaction-breakdown-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)).RootElement;
        Assert.Equal(["Energy", "Access rate", "Asset rates"], chart.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal([700m, 100m, 200m], chart.GetProperty("amounts").EnumerateArray().Select(a => a.GetDecimal()));
    }

    [Fact]
    public async Task A_cancelled_transaction_shows_its_reason_the_reversals_and_nothing_left_to_chart()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T7}");

        Assert.Contains("Status cancelled: token generator failed for good", Text(Section(html, "transaction-basics")));
        var processing = Section(html, "transaction-processing");
        var text = Text(processing);
        Assert.Equal(2, Regex.Matches(text, "reverses allocation \\d+").Count);
        Assert.Matches(@"Energy: reversal: 1\.0 kWh reverses allocation \d+ -500\.00 TZS", text);
        Assert.Contains("Net energy 0.00 TZS", text);
        Assert.Contains("Net access rate 0.00 TZS", text);
        Assert.Contains("Net asset rates 0.00 TZS", text);
        Assert.DoesNotContain("transaction-breakdown-chart", processing);
        Assert.Contains("Everything allocated was reversed.", text);
        Assert.Contains("No token.", Text(Section(html, "transaction-token")));
        Assert.Contains("Nothing sent to the provider yet.", Text(Section(html, "transaction-outbox")));
    }

    [Fact]
    public async Task Sent_sms_are_listed_with_their_status()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var sms = Text(Section(html, "transaction-sms"));
        Assert.Contains("+255712000001 Meter KB-1001: token 1234-5678-9012-3456-7890 for 1.4 kWh. delivered", sms);
        Assert.Contains("+255787000000 Meter KB-1001: paid 1000 TZS. failed gateway refused the number", sms);
        Assert.Contains("queued", Text(Section(await fixture.GetPageAsync($"/Transactions/{fixture.T7}"), "transaction-sms")));
    }

    [Fact]
    public async Task The_provider_outbox_state_and_answer_are_shown()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var outbox = Section(html, "transaction-outbox");
        var text = Text(outbox);
        Assert.Contains("State delivered", text);
        Assert.Contains("Attempts 2", text);
        Assert.Contains("Completed 2026-03-02 08:00:31", text);
        Assert.Contains("{\"status\":\"200\",\"message\":\"<ok>\"}", text);
        Assert.Contains("&lt;ok&gt;", outbox);
    }

    [Fact]
    public async Task The_timeline_lists_the_events_in_order()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T1}");

        var timeline = Text(Section(html, "transaction-timeline"));
        Assert.Contains("received 2026-03-02 08:00:01 from airtel allocated 2026-03-02 08:00:02 asset-rate 200, access-rate 100, energy 700 confirmed 2026-03-02 08:00:03 token issued", timeline);
    }

    [Fact]
    public async Task A_transaction_still_waiting_has_no_token_yet_and_no_events()
    {
        var html = await fixture.GetPageAsync($"/Transactions/{fixture.T3}");

        Assert.Contains("No token yet.", Text(Section(html, "transaction-token")));
        Assert.Contains("No events recorded.", Text(Section(html, "transaction-timeline")));
        Assert.Contains("Nothing allocated.", Text(Section(html, "transaction-processing")));
        Assert.Contains("Completed —", Text(Section(html, "transaction-basics")));
    }

    [Fact]
    public async Task An_unknown_transaction_is_not_found()
    {
        var response = await fixture.Viewer.GetAsync("/Transactions/987654321");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_list_links_to_the_detail_page()
    {
        var html = await fixture.GetPageAsync("/Transactions?serial=KB-1001&status=confirmed&from=2026-03-02");

        Assert.Contains($"<a href=\"/Transactions/{fixture.T1}\">{fixture.T1}</a>", html);
    }
}
