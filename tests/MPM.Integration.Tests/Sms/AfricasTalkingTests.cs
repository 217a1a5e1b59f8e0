using Xunit;
using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Integration.Tests.Sms;

/// <summary>The africastalking plugin against a fake Africa's Talking on loopback, the host on a real port and database.</summary>
public sealed class AfricasTalkingTests
{
    private static int _ids;

    private static string NextId() => $"ATXid_{Interlocked.Increment(ref _ids)}_{Guid.NewGuid():N}";

    /// <summary>A paid meter; returns the SMS of the payment once it reached <paramref name="status"/>.</summary>
    private static async Task<(SmsMessageRecord Sms, string Serial)> PaidAsync(SmsWorld sms, string status)
    {
        var tariff = await sms.World.TariffAsync(500m);
        var (serial, _, _) = await sms.World.MeterAsync(tariff);
        var payment = await sms.World.PayAsync(serial, 5000m);
        var transaction = await sms.World.FinishedAsync(payment.TransactionId!.Value);
        Assert.Equal(TransactionStatus.Confirmed, transaction.Status);
        return (await sms.StatusAsync(m => m.TransactionId == transaction.Id, status), serial);
    }

    [Fact]
    public async Task APaymentSmsLeavesThroughAfricasTalkingAndADeliveryReportMakesItDelivered()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var messageId = NextId();
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(101, "Success", messageId));

        var (sent, serial) = await PaidAsync(sms, SmsStatus.Sent);

        var call = Assert.Single(sms.Gateway.Calls);
        Assert.Equal("/version1/messaging", call.Path);
        Assert.Equal(SmsWorld.AtApiKey, call.Headers["apiKey"]);
        Assert.Equal("mpm-test", call.Fields["username"]);
        Assert.Equal("+255713000002", call.Fields["to"]);
        Assert.Equal("MPM", call.Fields["from"]);
        Assert.Contains($"Meter {serial}: token ", call.Fields["message"]);
        Assert.Equal(sent.Body, call.Fields["message"]);
        Assert.Equal("africastalking", sent.Gateway);
        Assert.Equal(messageId, sent.GatewayMessageId);

        var response = await sms.AtCallbackAsync("delivery-reports", new() { ["id"] = messageId, ["status"] = "Success", ["phoneNumber"] = "+255713000002", ["networkCode"] = "64002", ["retryCount"] = "0" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = await sms.MessageAsync(sent.Id);
        Assert.Equal(SmsStatus.Delivered, delivered.Status);
        Assert.Null(delivered.Reason);
    }

    [Fact]
    public async Task ATransientFailureIsRetriedUntilAccepted()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var messageId = NextId();
        // First an HTTP 500, then a recipient the gateway could not route (407), then accepted.
        sms.Gateway.Answer = (n, _) => n switch
        {
            1 => (500, """{"error":"down"}"""),
            2 => (201, SmsWorld.AtAnswer(407, "CouldNotRoute", null)),
            _ => (201, SmsWorld.AtAnswer(101, "Success", messageId)),
        };

        var (sent, _) = await PaidAsync(sms, SmsStatus.Sent);

        Assert.Equal(3, sent.Attempts);
        Assert.Equal(messageId, sent.GatewayMessageId);
        Assert.Null(sent.Reason);
        Assert.Equal(3, sms.Gateway.Calls.Count);
    }

    [Fact]
    public async Task APermanentRefusalFailsTheMessageWithTheGatewaysReasonWithoutRetrying()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(403, "InvalidPhoneNumber", null));

        var (failed, _) = await PaidAsync(sms, SmsStatus.Failed);

        Assert.Equal("InvalidPhoneNumber (403)", failed.Reason);
        Assert.Equal(1, failed.Attempts);
        await Task.Delay(500);
        Assert.Single(sms.Gateway.Calls);
    }

    [Fact]
    public async Task AFailedDeliveryReportRecordsTheFailureReason()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var messageId = NextId();
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(101, "Success", messageId));
        var (sent, _) = await PaidAsync(sms, SmsStatus.Sent);

        // Still on its way: nothing changes.
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("delivery-reports", new() { ["id"] = messageId, ["status"] = "Buffered" })).StatusCode);
        Assert.Equal(SmsStatus.Sent, (await sms.MessageAsync(sent.Id)).Status);

        var response = await sms.AtCallbackAsync("delivery-reports", new() { ["id"] = messageId, ["status"] = "Failed", ["failureReason"] = "UserInBlackList" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = await sms.MessageAsync(sent.Id);
        Assert.Equal(SmsStatus.Failed, failed.Status);
        Assert.Equal("Failed: UserInBlackList", failed.Reason);
    }

    [Fact]
    public async Task CallbacksWithoutTheRightSecretAreRefusedAndChangeNothing()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var messageId = NextId();
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(101, "Success", messageId));
        var (sent, serial) = await PaidAsync(sms, SmsStatus.Sent);
        var report = new Dictionary<string, string> { ["id"] = messageId, ["status"] = "Success" };
        var incoming = new Dictionary<string, string> { ["from"] = "+255713000001", ["to"] = "15000", ["text"] = $"resend {serial}", ["id"] = NextId(), ["date"] = "2026-11-28 05:00:00" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.AtCallbackAsync("delivery-reports", report, key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.AtCallbackAsync("delivery-reports", report, key: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.AtCallbackAsync("delivery-reports", report, key: SmsWorld.AtSecret + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.AtCallbackAsync("incoming", incoming, key: "wrong")).StatusCode);
        var header = new HttpRequestMessage(HttpMethod.Post, "/plugins/africastalking/incoming") { Content = new FormUrlEncodedContent(incoming) };
        header.Headers.Add("X-MPM-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await sms.Http.SendAsync(header)).StatusCode);

        var messages = await sms.MessagesAsync();
        Assert.Equal(SmsStatus.Sent, Assert.Single(messages).Status);

        // The right secret in the header is accepted.
        var good = new HttpRequestMessage(HttpMethod.Post, "/plugins/africastalking/delivery-reports") { Content = new FormUrlEncodedContent(report) };
        good.Headers.Add("X-MPM-Key", SmsWorld.AtSecret);
        Assert.Equal(HttpStatusCode.OK, (await sms.Http.SendAsync(good)).StatusCode);
        Assert.Equal(SmsStatus.Delivered, (await sms.MessageAsync(sent.Id)).Status);
    }

    [Fact]
    public async Task AnIncomingSmsIsStoredOnceAndLinkedToTheCustomerWhosePhoneMatches()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var tariff = await sms.World.TariffAsync(500m);
        var (_, _, customer) = await sms.World.MeterAsync(tariff, phone: "+255754111222");
        var id = NextId();
        // Local form of the same number.
        var fields = new Dictionary<string, string> { ["from"] = "0754111222", ["to"] = "15000", ["text"] = "Hello, my meter is off", ["id"] = id, ["date"] = "2026-11-28 05:00:00", ["linkId"] = "x", ["networkCode"] = "64004" };

        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("incoming", fields)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("incoming", fields)).StatusCode);
        var unknown = new Dictionary<string, string>(fields) { ["from"] = "+255799999999", ["id"] = NextId() };
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("incoming", unknown)).StatusCode);

        var incoming = (await sms.MessagesAsync()).Where(m => m.Direction == "in").ToList();
        Assert.Equal(2, incoming.Count);
        Assert.Equal(("0754111222", customer, "Hello, my meter is off", SmsStatus.Received, "africastalking", id),
            (incoming[0].Phone, incoming[0].CustomerId, incoming[0].Body, incoming[0].Status, incoming[0].Gateway, incoming[0].GatewayMessageId));
        Assert.Null(incoming[1].CustomerId);
    }

    [Fact]
    public async Task TheResendKeywordSendsTheMetersLastTokenAgainOnlyToItsCustomersPhone()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(101, "Success", NextId()));
        var tariff = await sms.World.TariffAsync(500m);
        var (serial, meterId, customer) = await sms.World.MeterAsync(tariff, phone: "+255754333444");
        var (otherSerial, _, _) = await sms.World.MeterAsync(tariff, phone: "+255754555666");
        var payment = await sms.World.PayAsync(serial, 5000m);
        await sms.World.FinishedAsync(payment.TransactionId!.Value);
        await sms.StatusAsync(m => m.TransactionId == payment.TransactionId, SmsStatus.Sent);
        var token = await sms.World.QueryAsync(db => db.Tokens.FirstAsync(t => t.MeterId == meterId));
        var callsBefore = sms.Gateway.Calls.Count;

        async Task<SmsMessageRecord> Incoming(string from, string text)
        {
            var id = NextId();
            Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("incoming", new() { ["from"] = from, ["to"] = "15000", ["text"] = text, ["id"] = id })).StatusCode);
            return (await sms.MessagesAsync()).Single(m => m.GatewayMessageId == id);
        }

        var otherPhone = await Incoming("+255754555666", $"resend {serial}");
        var unknownMeter = await Incoming("+255754333444", "resend 99999999999");
        var notMine = await Incoming("+255754333444", $"resend {otherSerial}");
        Assert.Contains("does not belong to this phone", otherPhone.Reason);
        Assert.Contains("no meter 99999999999", unknownMeter.Reason);
        Assert.Contains("does not belong to this phone", notMine.Reason);
        await Task.Delay(500);
        Assert.Equal(callsBefore, sms.Gateway.Calls.Count);
        Assert.Equal(1, (await sms.MessagesAsync()).Count(m => m.Direction == "out"));

        var asked = await Incoming("0754333444", $"  ReSend {serial} ");
        Assert.Equal(customer, asked.CustomerId);
        Assert.StartsWith("resend: last token", asked.Reason);
        var resent = await sms.StatusAsync(m => m.Direction == "out" && m.Id > asked.Id, SmsStatus.Sent);
        Assert.Equal("+255754333444", resent.Phone);
        Assert.Equal(customer, resent.CustomerId);
        Assert.Contains(string.Join('-', token.Value.Chunk(4).Select(c => new string(c))), resent.Body);
        var call = sms.Gateway.Calls.Last();
        Assert.Equal("+255754333444", call.Fields["to"]);
        Assert.Equal(resent.Body, call.Fields["message"]);
    }
}
