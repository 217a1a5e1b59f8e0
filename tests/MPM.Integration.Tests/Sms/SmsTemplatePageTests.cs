using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Core;
using MPM.Data;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Sms;

/// <summary>The SMS templates page: managers edit the texts, a bad text is refused with its problems and nothing saved, and the resend keyword replies with the edited text.</summary>
public sealed partial class SmsPageTests
{
    private static Task<string> TemplateAsync(SmsWorld sms, string key) => sms.World.QueryAsync(db => db.SmsTemplates.Where(t => t.Key == key).Select(t => t.Body).FirstAsync());

    [Fact]
    public async Task AManagerEditsTheResendReplyABadTextIsRefusedWithItsProblemsAndTheKeywordRepliesWithTheNewText()
    {
        await using var sms = await SmsWorld.CreateAsync("africastalking");
        var ids = 0;
        sms.Gateway.Answer = (_, _) => (201, SmsWorld.AtAnswer(101, "Success", $"ATXid_tpl_{Interlocked.Increment(ref ids)}"));
        var manager = await LoginAsync(sms, Roles.Manager);
        var viewer = await LoginAsync(sms, Roles.Viewer);
        var original = await TemplateAsync(sms, "sms.resend");

        var page = await manager.GetStringAsync("/Sms/Templates");
        Assert.Contains("id=\"template-sms-resend\"", page);
        Assert.Contains("id=\"template-payment-confirmed\"", page);
        Assert.Contains("Placeholders: {meter}, {token}, {kwh}; required: {token}", page);

        // Unknown placeholder, {token} left out, a stray brace: all three named, nothing saved.
        var bad = await MpmWebFactory.PostFormAsync(manager, "/Sms/Templates", new() { ["key"] = "sms.resend", ["body"] = "Meter {meter}: balance {balance} {" }, "/Sms/Templates");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var refused = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("Not saved.", refused);
        Assert.Contains("Unknown placeholder {balance}: this message can use {meter}, {token}, {kwh}.", refused);
        Assert.Contains("{token} is missing: this message exists to carry it.", refused);
        Assert.Contains("A brace is not part of a placeholder", refused);
        Assert.Contains("Meter {meter}: balance {balance} {</textarea>", refused);
        Assert.Equal(original, await TemplateAsync(sms, "sms.resend"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await MpmWebFactory.PostFormAsync(manager, "/Sms/Templates", new() { ["key"] = "sms.resend", ["body"] = "   " }, "/Sms/Templates")).StatusCode);
        Assert.Equal(original, await TemplateAsync(sms, "sms.resend"));

        // A viewer reads but cannot change; an unknown template is not found.
        Assert.DoesNotContain("<textarea", await viewer.GetStringAsync("/Sms/Templates"));
        Assert.Equal(HttpStatusCode.Forbidden, (await MpmWebFactory.PostFormAsync(viewer, "/Sms/Templates", new() { ["key"] = "sms.resend", ["body"] = "Token {token}" }, "/Sms/Templates")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await MpmWebFactory.PostFormAsync(manager, "/Sms/Templates", new() { ["key"] = "no.such", ["body"] = "x" }, "/Sms/Templates")).StatusCode);
        Assert.Equal(original, await TemplateAsync(sms, "sms.resend"));

        const string edited = "Habari! Meter {meter}: token {token} ({kwh} kWh) again.";
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(manager, "/Sms/Templates", new() { ["key"] = "sms.resend", ["body"] = $"  {edited} " }, "/Sms/Templates")).StatusCode);
        Assert.Equal(edited, await TemplateAsync(sms, "sms.resend"));
        Assert.Equal(1, await sms.World.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "sms.template" && a.Details.Contains(edited))));

        // The resend keyword now answers with the edited text.
        var tariff = await sms.World.TariffAsync(500m);
        var (serial, meterId, _) = await sms.World.MeterAsync(tariff, phone: "+255754333999");
        var payment = await sms.World.PayAsync(serial, 5000m);
        await sms.World.FinishedAsync(payment.TransactionId!.Value);
        var token = await sms.World.QueryAsync(db => db.Tokens.FirstAsync(t => t.MeterId == meterId));
        Assert.Equal(HttpStatusCode.OK, (await sms.AtCallbackAsync("incoming", new() { ["from"] = "+255754333999", ["to"] = "15000", ["text"] = $"resend {serial}", ["id"] = "ATXid_in_tpl" })).StatusCode);
        var resent = await sms.StatusAsync(m => m.Direction == "out" && m.Body.StartsWith("Habari!", StringComparison.Ordinal), SmsStatus.Sent);
        Assert.Equal($"Habari! Meter {serial}: token {string.Join('-', token.Value.Chunk(4).Select(c => new string(c)))} ({token.Amount.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} kWh) again.", resent.Body);
    }
}
