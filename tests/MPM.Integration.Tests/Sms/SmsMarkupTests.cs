using System.Globalization;
using System.Net;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Sms;

/// <summary>An SMS is plain text to the phone: markup in a template or a bulk message is stored and sent as typed, and shown as text on the pages.</summary>
public sealed partial class SmsPageTests
{
    [Fact]
    public async Task MarkupInATemplateAndABulkMessageIsSentAsTypedAndShownAsText()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        sms.Gateway.Answer = (_, fields) => (200, $$"""{"id":"app-{{fields["id"]}}","state":"Pending"}""");
        var manager = await LoginAsync(sms, Roles.Manager);
        const string template = "<b>Paid</b> {amount} & \"{currency}\" <script>alert(1)</script> token {token}";
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(manager, "/Sms/Templates", new() { ["key"] = "payment.confirmed", ["body"] = template }, "/Sms/Templates")).StatusCode);

        var tariff = await sms.World.TariffAsync(500m);
        var (serial, _, customer) = await sms.World.MeterAsync(tariff, phone: "+255712000401");
        var payment = await sms.World.PayAsync(serial, 5000m);
        await sms.World.FinishedAsync(payment.TransactionId!.Value);
        var receipt = await sms.StatusAsync(m => m.TransactionId == payment.TransactionId, SmsStatus.Sent);

        Assert.StartsWith("<b>Paid</b> 5000 & \"", receipt.Body, StringComparison.Ordinal);
        Assert.Contains("\" <script>alert(1)</script> token ", receipt.Body, StringComparison.Ordinal);
        Assert.Equal(receipt.Body, GatewayText(sms, receipt.Id));

        const string bulk = "<img src=x onerror=alert(2)> Power off & back \"soon\"";
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(manager, "/Sms", new() { ["To"] = "Customers", ["Chosen"] = $"{customer}", ["Message"] = bulk, ["Expected"] = "1" })).StatusCode);
        var sent = await sms.StatusAsync(m => m.Body == bulk, SmsStatus.Sent);
        Assert.Equal(bulk, GatewayText(sms, sent.Id));

        // On the pages, the same texts are HTML-encoded: shown, never run.
        var log = await manager.GetStringAsync("/Sms?dir=out");
        var templates = await manager.GetStringAsync("/Sms/Templates");
        foreach (var html in new[] { log, templates })
        {
            Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<img src=x", log, StringComparison.Ordinal);
        Assert.Contains(bulk, WebUtility.HtmlDecode(log), StringComparison.Ordinal);
        Assert.Contains(receipt.Body, WebUtility.HtmlDecode(log), StringComparison.Ordinal);
        Assert.Contains(template, WebUtility.HtmlDecode(templates), StringComparison.Ordinal);
    }

    private static string GatewayText(SmsWorld sms, long id) =>
        Assert.Single(sms.Gateway.Calls, c => c.Fields["id"] == id.ToString(CultureInfo.InvariantCulture)).Fields["message"];
}
