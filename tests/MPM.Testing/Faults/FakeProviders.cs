using System.Collections.Concurrent;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MPM.Testing.Faults;

/// <summary>
/// The far ends the host talks to, on loopback over real HTTP, in the fault run's own process (so they outlive the host's
/// kills): the M-Pesa broker's result URL, Airtel's rollback URL and an HTTP SMS gateway. Each records what it got.
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProviders(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Vodacom results: conversationID → result codes posted (one per delivery).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> VodacomResults { get; } = new();

    /// <summary>Airtel rollbacks: TransID → number of rollbacks posted.</summary>
    public ConcurrentDictionary<string, int> AirtelRollbacks { get; } = new();

    /// <summary>SMS: the host's message id → number of times the gateway was asked to send it.</summary>
    public ConcurrentDictionary<string, int> Sms { get; } = new();

    public static async Task<FakeProviders> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeProviders? fake = null;
        app.MapPost("/broker", async (HttpContext context) =>
        {
            var xml = XDocument.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
            var conversation = Field(xml, "conversationID") ?? "";
            var code = Field(xml, "resultCode") ?? "";
            fake!.VodacomResults.GetOrAdd(conversation, _ => new()).Enqueue(code);
            // The broker acknowledges with the code it was given.
            return Results.Content(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><mpesaBroker xmlns=\"http://infowise.co.tz/broker/\" version=\"2.0\"><response><responseCode>{code}</responseCode><responseDesc>Received</responseDesc></response></mpesaBroker>",
                "text/xml");
        });
        app.MapPost("/airtel", async (HttpContext context) =>
        {
            var xml = XDocument.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
            fake!.AirtelRollbacks.AddOrUpdate(Field(xml, "TransID") ?? Field(xml, "TXNID") ?? "", 1, (_, n) => n + 1);
            return Results.Content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><COMMAND><TXNSTATUS>200</TXNSTATUS></COMMAND>", "text/xml");
        });
        app.MapPost("/sms", async (HttpContext context) =>
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body);
            var id = json.RootElement.GetProperty("id").GetString() ?? "";
            fake!.Sms.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Results.Json(new { id = $"gw-{id}" });
        });
        await app.StartAsync();
        fake = new FakeProviders(app, app.Urls.First());
        return fake;
    }

    private static string? Field(XDocument xml, string localName) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
