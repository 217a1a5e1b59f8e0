using Xunit;
using System.Net;
using MPM.Data;

namespace MPM.Integration.Tests.Sms;

/// <summary>The sms-http plugin against a fake Android gateway app on loopback, the host on a real port and database.</summary>
public sealed class SmsHttpTests
{
    private static async Task<SmsMessageRecord> PaidAsync(SmsWorld sms, string status)
    {
        var tariff = await sms.World.TariffAsync(500m);
        var (serial, _, _) = await sms.World.MeterAsync(tariff);
        var payment = await sms.World.PayAsync(serial, 5000m);
        await sms.World.FinishedAsync(payment.TransactionId!.Value);
        return await sms.StatusAsync(m => m.TransactionId == payment.TransactionId, status);
    }

    [Fact]
    public async Task APaymentSmsLeavesThroughTheAppAndItsSignedReportMakesItDelivered()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        sms.Gateway.Answer = (_, fields) => (200, $$"""{"id":"app-{{fields["id"]}}","state":"Pending"}""");

        var sent = await PaidAsync(sms, SmsStatus.Sent);

        var call = Assert.Single(sms.Gateway.Calls);
        Assert.Equal("/message", call.Path);
        Assert.Equal(SmsWorld.HttpAuth, call.Headers["Authorization"]);
        Assert.Equal(("+255713000002", sent.Body, sent.Id.ToString()), (call.Fields["to"], call.Fields["message"], call.Fields["id"]));
        Assert.Equal($"app-{sent.Id}", sent.GatewayMessageId);

        var response = await sms.HttpWebhookAsync($$"""{"event":"delivered","id":"app-{{sent.Id}}"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SmsStatus.Delivered, (await sms.MessageAsync(sent.Id)).Status);
    }

    [Fact]
    public async Task TheAppBeingDownIsRetriedAndARefusalFailsWithItsReason()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        sms.Gateway.Answer = (n, _) => n == 1 ? (503, """{"error":"phone offline"}""") : (200, "{}");
        var sent = await PaidAsync(sms, SmsStatus.Sent);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal(sent.Id.ToString(), sent.GatewayMessageId);

        sms.Gateway.Answer = (_, _) => (400, """{"error":"invalid number"}""");
        var failed = await PaidAsync(sms, SmsStatus.Failed);
        Assert.Equal("""the gateway answered HTTP 400: {"error":"invalid number"}""", failed.Reason);
        Assert.Equal(1, failed.Attempts);

        var report = await sms.HttpWebhookAsync($$"""{"event":"failed","id":"{{sent.Id}}","reason":"RESULT_ERROR_NO_SERVICE"}""");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var after = await sms.MessageAsync(sent.Id);
        Assert.Equal((SmsStatus.Failed, "RESULT_ERROR_NO_SERVICE"), (after.Status, after.Reason));
    }

    [Fact]
    public async Task AWebhookWithABadSignatureIsRefusedAndChangesNothing()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        var sent = await PaidAsync(sms, SmsStatus.Sent);
        var delivered = $$"""{"event":"delivered","id":"{{sent.Id}}"}""";
        var incoming = """{"event":"received","from":"+255713000001","message":"hello","id":"in-1"}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.HttpWebhookAsync(delivered, SmsWorld.Sign(delivered, "not-the-secret"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.HttpWebhookAsync(delivered, SmsWorld.Sign(delivered + " ", SmsWorld.HttpSecret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.HttpWebhookAsync(delivered, "zz-not-hex")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.HttpWebhookAsync(incoming, "")).StatusCode);

        var messages = await sms.MessagesAsync();
        Assert.Equal(SmsStatus.Sent, Assert.Single(messages).Status);
    }

    [Fact]
    public async Task ASignedIncomingMessageIsStoredAndLinkedToItsCustomer()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http");
        var tariff = await sms.World.TariffAsync(500m);
        var (_, _, customer) = await sms.World.MeterAsync(tariff, phone: "+255765000111");
        var body = """{"event":"received","from":"+255765000111","message":"Asante","id":"in-42","receivedAt":"2026-11-28T05:00:00Z"}""";

        var response = await sms.HttpWebhookAsync(body, "sha256=" + SmsWorld.Sign(body, SmsWorld.HttpSecret).ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await sms.MessagesAsync());
        Assert.Equal(("in", "+255765000111", customer, "Asante", SmsStatus.Received, "sms-http", "in-42"),
            (stored.Direction, stored.Phone, stored.CustomerId, stored.Body, stored.Status, stored.Gateway, stored.GatewayMessageId));
    }
}
