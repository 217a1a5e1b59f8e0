using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace MPM.Integration.Tests.Sms;

/// <summary>One call the host made to a fake gateway: its fields (form or JSON) and headers.</summary>
public sealed record GatewayCall(string Path, IReadOnlyDictionary<string, string> Fields, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A fake SMS gateway on loopback over real HTTP: it records every call and answers what the test's
/// <see cref="Answer"/> says for the call's number (1 for the first).
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private FakeGateway(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<GatewayCall> Calls { get; } = new();

    /// <summary>Given the call's number and fields: HTTP status and JSON body.</summary>
    public Func<int, IReadOnlyDictionary<string, string>, (int Status, string Body)> Answer { get; set; } = (_, _) => (200, "{}");

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeGateway? fake = null;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var fields = new Dictionary<string, string>();
            if (context.Request.HasFormContentType)
            {
                foreach (var (key, value) in await context.Request.ReadFormAsync())
                {
                    fields[key] = value.ToString();
                }
            }
            else
            {
                using var json = await JsonDocument.ParseAsync(context.Request.Body);
                foreach (var property in json.RootElement.EnumerateObject())
                {
                    fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            fake!.Calls.Enqueue(new GatewayCall(context.Request.Path, fields, headers));
            var (status, body) = fake.Answer(Interlocked.Increment(ref fake._count), fields);
            return Results.Content(body, "application/json", statusCode: status);
        });
        await app.StartAsync();
        fake = new FakeGateway(app, app.Urls.First());
        return fake;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
