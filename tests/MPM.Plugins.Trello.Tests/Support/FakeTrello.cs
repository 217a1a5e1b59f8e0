using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MPM.Plugins.Trello.Tests.Support;

/// <summary>
/// A Trello-compatible server on a loopback port (real HTTP): it checks the OAuth Authorization header against its
/// key and token (401 otherwise), records every request, answers cards, comments, card updates, member lookups and
/// webhook registration as Trello does, and can be scripted to fail (status, body, Retry-After) or to answer slowly.
/// </summary>
public sealed class FakeTrello : IAsyncDisposable
{
    public const string Key = "fake-trello-key";
    public const string Token = "fake-trello-token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _script = new();
    private int _ids;
    private string? _nextCommentId;

    private FakeTrello(WebApplication app) => _app = app;

    public ConcurrentQueue<TrelloRequest> Received { get; } = new();

    /// <summary>Members by username: (id, full name).</summary>
    public ConcurrentDictionary<string, (string Id, string FullName)> Members { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Url { get; private set; } = "";

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>The action id the next comment gets (then numbered ones again).</summary>
    public string? NextCommentId { get => _nextCommentId; set => _nextCommentId = value; }

    /// <summary>The next answer is this, whatever the request (then the next scripted one, then the normal answers).</summary>
    public void Then(int status, string body = "", string? retryAfter = null) => _script.Enqueue((status, body, retryAfter));

    public static async Task<FakeTrello> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var trello = new FakeTrello(app);
        app.Run(trello.AnswerAsync);
        await app.StartAsync();
        trello.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return trello;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString()) : [];
        Received.Enqueue(new TrelloRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.Headers.Authorization.ToString(), form));
        await Task.Delay(Delay);
        if (_script.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }

            await WriteAsync(context, scripted.Status, scripted.Body);
            return;
        }

        if (request.Headers.Authorization.ToString() != $"OAuth oauth_consumer_key=\"{Key}\", oauth_token=\"{Token}\"")
        {
            await WriteAsync(context, 401, "invalid key");
            return;
        }

        var path = request.Path.Value ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var id = Interlocked.Increment(ref _ids);
        var (status, body) = (request.Method, segments) switch
        {
            ("POST", ["1", "cards"]) when form.ContainsKey("idList") => (200, $"{{\"id\":\"card{id:D4}\",\"idList\":\"{form["idList"]}\",\"closed\":false}}"),
            ("POST", ["1", "cards", var card, "actions", "comments"]) => (200, $"{{\"id\":\"{Interlocked.Exchange(ref _nextCommentId, null) ?? $"action{id:D4}"}\",\"type\":\"commentCard\",\"data\":{{\"card\":{{\"id\":\"{card}\"}}}}}}"),
            ("PUT", ["1", "cards", var card]) => (200, $"{{\"id\":\"{card}\"}}"),
            ("GET", ["1", "members", var name]) => Members.TryGetValue(name, out var member)
                ? (200, $"{{\"id\":\"{member.Id}\",\"username\":\"{name}\",\"fullName\":\"{member.FullName}\"}}")
                : (404, "The requested resource was not found."),
            ("POST", ["1", "webhooks"]) => (200, $"{{\"id\":\"webhook{id:D4}\",\"callbackURL\":\"{form.GetValueOrDefault("callbackURL")}\",\"idModel\":\"{form.GetValueOrDefault("idModel")}\",\"active\":true}}"),
            _ => (400, $"invalid request {request.Method} {path}"),
        };
        await WriteAsync(context, status, body);
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = body.StartsWith('{') ? "application/json" : "text/plain";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record TrelloRequest(string Method, string Path, string Query, string Authorization, IReadOnlyDictionary<string, string> Form);
