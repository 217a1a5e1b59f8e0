using System.Net;
using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using MPM.Core;
using MPM.Data;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Sms;

/// <summary>The SMS page: bulk send to a mini-grid through the configured gateway, the count shown first, the log.</summary>
public sealed partial class SmsPageTests
{
    private static async Task<HttpClient> LoginAsync(SmsWorld sms, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        await sms.World.Factory.AddUserAsync(email, "a-long-password-1", role);
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(sms.World.BaseUrl!) };
        var response = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = "a-long-password-1" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Mini-grid A (the world's) with three customers with a phone and one without; mini-grid B with two.</summary>
    private static async Task<(long MiniGridA, long MiniGridB, string[] PhonesOfA)> TwoMiniGridsAsync(SmsWorld sms)
    {
        var tariff = await sms.World.TariffAsync(500m);
        string[] phonesOfA = ["+255711000101", "+255711000102", "+255711000103"];
        foreach (var phone in phonesOfA)
        {
            await sms.World.MeterAsync(tariff, phone: phone);
        }

        var (miniGridA, villageB) = await sms.World.QueryAsync(async db =>
        {
            var a = await db.Villages.Where(v => v.Id == sms.World.Village).Select(v => v.MiniGridId).FirstAsync();
            var cluster = await db.MiniGrids.Where(m => m.Id == a).Select(m => m.ClusterId).FirstAsync();
            var b = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { Name = "Kome", ClusterId = cluster, Latitude = -2.3m, Longitude = 32.5m, CreatedAt = DateTimeOffset.UtcNow });
            var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { Name = "Kome Island", MiniGridId = b, Latitude = -2.3m, Longitude = 32.5m, CreatedAt = DateTimeOffset.UtcNow });
            // A customer of A without a phone: never a recipient.
            var silent = await db.InsertWithInt64IdentityAsync(new CustomerRecord { Name = "No", Surname = "Phone", Phone = "", CreatedAt = DateTimeOffset.UtcNow, SearchText = "no phone" });
            await db.InsertAsync(new AddressRecord { CustomerId = silent, VillageId = sms.World.Village, IsPrimary = true, CreatedAt = DateTimeOffset.UtcNow });
            return (a, village);
        });
        await sms.World.MeterAsync(tariff, phone: "+255711000201", village: villageB);
        await sms.World.MeterAsync(tariff, phone: "+255711000202", village: villageB);
        var miniGridB = await sms.World.QueryAsync(db => db.Villages.Where(v => v.Id == villageB).Select(v => v.MiniGridId).FirstAsync());
        return (miniGridA, miniGridB, phonesOfA);
    }

    private static int Recipients(string html) =>
        int.Parse(RecipientsPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no recipient count on the page"));

    [Fact]
    public async Task ABulkSmsToAMiniGridReachesExactlyItsCustomersWithAPhoneAfterShowingHowMany()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var ids = 0;
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(101, "Success", $"ATXid_bulk_{Interlocked.Increment(ref ids)}"));
        var (miniGridA, miniGridB, phonesOfA) = await TwoMiniGridsAsync(sms);
        var manager = await LoginAsync(sms, Roles.Manager);
        const string text = "Power will be off on Sunday 8-12 for maintenance.";

        var preview = await manager.GetStringAsync($"/Sms?To=MiniGrid:{miniGridA}&Message={Uri.EscapeDataString(text)}");
        Assert.Equal(3, Recipients(preview));
        Assert.Equal(2, Recipients(await manager.GetStringAsync($"/Sms?To=MiniGrid:{miniGridB}&Message=x")));

        var response = await MpmWebFactory.PostFormAsync(manager, "/Sms", new() { ["To"] = $"MiniGrid:{miniGridA}", ["Message"] = text, ["Expected"] = "3" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var send = Regex.Match(response.Headers.Location!.OriginalString, @"send=(\d+)").Groups[1].Value;
        Assert.Contains("id=\"sms-progress\"", await manager.GetStringAsync($"/Sms?dir=out&send={send}"));
        async Task<(int Recipients, int Queued, int Sent, int Delivered, int Failed, bool Finished)> ProgressAsync()
        {
            var json = System.Text.Json.JsonDocument.Parse(await manager.GetStringAsync($"/Sms?handler=Progress&id={send}")).RootElement;
            return (json.GetProperty("recipients").GetInt32(), json.GetProperty("queued").GetInt32(), json.GetProperty("sent").GetInt32(),
                json.GetProperty("delivered").GetInt32(), json.GetProperty("failed").GetInt32(), json.GetProperty("finished").GetBoolean());
        }

        var bulk = await sms.World.QueryAsync(db => db.SmsMessages.Where(m => m.Body == text).ToListAsync());
        Assert.Equal(phonesOfA.Order(), bulk.Select(m => m.Phone).Order());
        await Poll.UntilAsync(async () => (await sms.World.QueryAsync(db => db.SmsMessages.CountAsync(m => m.Body == text && m.Status == SmsStatus.Sent))) == 3,
            TimeSpan.FromSeconds(30), "the bulk SMS to be sent");
        Assert.Equal(phonesOfA.Order(), sms.Gateway.Calls.Where(c => c.Fields["message"] == text).Select(c => c.Fields["to"]).Order());

        // Each message's delivery status shows in the log.
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("delivery-reports", new() { ["id"] = "ATXid_bulk_1", ["status"] = "Success" })).StatusCode);
        var log = await manager.GetStringAsync("/Sms?dir=out&q=maintenance");
        Assert.Equal(3, Regex.Count(log, "data-direction=\"out\""));
        Assert.Equal(1, Regex.Count(log, "badge text-bg-success\">delivered<"));
        Assert.Equal(2, Regex.Count(log, "badge text-bg-info\">sent<"));

        // The send's progress counts its own messages only, and is finished once each is delivered or failed.
        Assert.Equal((3, 0, 2, 1, 0, false), await ProgressAsync());
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("delivery-reports", new() { ["id"] = "ATXid_bulk_2", ["status"] = "Success" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("delivery-reports", new() { ["id"] = "ATXid_bulk_3", ["status"] = "Failed", ["failureReason"] = "UserInBlacklist" })).StatusCode);
        Assert.Equal((3, 0, 0, 2, 1, true), await ProgressAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync("/Sms?handler=Progress&id=999999")).StatusCode);
    }

    [Fact]
    public async Task SendingNeedsTheCountShownToStillBeRightAManagerAndTheAntiforgeryToken()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var (miniGridA, _, _) = await TwoMiniGridsAsync(sms);
        var manager = await LoginAsync(sms, Roles.Manager);
        var viewer = await LoginAsync(sms, Roles.Viewer);
        Dictionary<string, string> Form(string expected) => new() { ["To"] = $"MiniGrid:{miniGridA}", ["Message"] = "Hello", ["Expected"] = expected };

        var stale = await MpmWebFactory.PostFormAsync(manager, "/Sms", Form("2"));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var page = await stale.Content.ReadAsStringAsync();
        Assert.Contains("The recipients changed since you looked: now 3", page);
        Assert.Equal(3, Recipients(page));

        Assert.Equal(HttpStatusCode.Forbidden, (await MpmWebFactory.PostFormAsync(viewer, "/Sms", Form("3"))).StatusCode);
        Assert.DoesNotContain("id=\"sms-compose\"", await viewer.GetStringAsync("/Sms"));
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsync("/Sms", new FormUrlEncodedContent(Form("3")))).StatusCode);

        Assert.Equal(0, await sms.World.QueryAsync(db => db.SmsMessages.CountAsync()));
    }

    [Fact]
    public async Task ChosenCustomersAndIncomingMessagesLinkedToTheirCustomerShowOnThePage()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var tariff = await sms.World.TariffAsync(500m);
        var (_, _, first) = await sms.World.MeterAsync(tariff, phone: "+255712000301");
        var (_, _, second) = await sms.World.MeterAsync(tariff, phone: "+255712000302");
        await sms.World.MeterAsync(tariff, phone: "+255712000303");
        var manager = await LoginAsync(sms, Roles.Admin);

        Assert.Equal(2, Recipients(await manager.GetStringAsync($"/Sms?To=Customers&Chosen={first}&Chosen={second}&Message=Hi")));
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(manager, "/Sms", new() { ["To"] = "Customers", ["Chosen"] = $"{first}", ["Message"] = "Hi", ["Expected"] = "1" })).StatusCode);
        var chosen = await sms.World.QueryAsync(db => db.SmsMessages.Where(m => m.Direction == "out").ToListAsync());
        Assert.Equal(("+255712000301", (long?)first), (Assert.Single(chosen).Phone, chosen[0].CustomerId));

        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("incoming", new() { ["from"] = "+255712000302", ["to"] = "15000", ["text"] = "When is the meeting?", ["id"] = "ATXid_in_page" })).StatusCode);
        var log = await manager.GetStringAsync("/Sms?dir=in");
        Assert.Contains("When is the meeting?", log);
        Assert.Contains($"href=\"/Customers/{second}\"", log);
        Assert.Equal(1, Regex.Count(log, "data-direction=\"in\""));
    }

    [Fact]
    public async Task MessagesWaitQueuedUntilAnAdminChoosesTheGatewayOnThePage()
    {
        await using var sms = await SmsWorld.CreateAsync("sms-http", choose: false);
        var tariff = await sms.World.TariffAsync(500m);
        var (_, _, customer) = await sms.World.MeterAsync(tariff, phone: "+255713000401");
        var admin = await LoginAsync(sms, Roles.Admin);
        var manager = await LoginAsync(sms, Roles.Manager);
        Assert.Contains("id=\"sms-no-gateway\"", await admin.GetStringAsync("/Sms"));
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(admin, "/Sms", new() { ["To"] = "Customers", ["Chosen"] = $"{customer}", ["Message"] = "Hi", ["Expected"] = "1" })).StatusCode);
        var waiting = await sms.StatusAsync(m => m.Direction == "out", SmsStatus.Queued);
        await Poll.UntilAsync(async () => (await sms.MessageAsync(waiting.Id)).Reason == "no SMS gateway configured", TimeSpan.FromSeconds(30), "the outbox to say there is no gateway");

        Assert.Equal(HttpStatusCode.Forbidden, (await MpmWebFactory.PostFormAsync(manager, "/Sms?handler=Gateway", new() { ["gateway"] = "sms-http" }, "/Sms")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await MpmWebFactory.PostFormAsync(admin, "/Sms?handler=Gateway", new() { ["gateway"] = "no-such-plugin" }, "/Sms")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(admin, "/Sms?handler=Gateway", new() { ["gateway"] = "sms-http" }, "/Sms")).StatusCode);

        // The message waits for the no-gateway recheck (a minute); it leaves through the chosen gateway once due again.
        await sms.World.QueryAsync(db => db.SmsMessages.Where(m => m.Id == waiting.Id).Set(m => m.NextAttemptAt, DateTimeOffset.UtcNow).UpdateAsync());
        var sent = await sms.StatusAsync(m => m.Id == waiting.Id, SmsStatus.Sent);
        Assert.Equal("sms-http", sent.Gateway);
        Assert.Equal("+255713000401", Assert.Single(sms.Gateway.Calls).Fields["to"]);
        Assert.Contains("<option value=\"sms-http\" selected=\"selected\">", await admin.GetStringAsync("/Sms"));
    }

    [GeneratedRegex("id=\"sms-recipients\" data-count=\"(\\d+)\"")]
    private static partial Regex RecipientsPattern();
}
