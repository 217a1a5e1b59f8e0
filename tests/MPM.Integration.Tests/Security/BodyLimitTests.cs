using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using MPM.Web.Security;
using MPM.Web.Settings;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>The host with every shipped plugin, over real HTTP: Kestrel enforces body limits, the in-memory test server does not.</summary>
public sealed class RealPortAllPluginsHost : HostFixture
{
    protected override string? PluginsFile => Path.Combine(Repo.Root, "plugins.json");

    protected override bool RealPort => true;
}

/// <summary>
/// Every POST/PUT/PATCH route of the host (pages' POST handlers, REST, plugin endpoints, from the endpoint data source,
/// so a new one is covered without being listed) is sent an oversized body, declared (Content-Length) and chunked, by
/// a caller that passes its authentication, and malformed bodies: the answers are 413 and 400/415, never a 5xx, never
/// the authentication's refusal, and nothing is stored.
/// </summary>
public sealed class BodyLimitTests(RealPortAllPluginsHost host) : IClassFixture<RealPortAllPluginsHost>
{
    private const string CallbackSecret = "at-callback-secret";
    private const string SmsWebhookSecret = "sms-webhook-secret";
    private const string TrelloSecret = "trello-app-secret";
    private const string TrelloCallback = "https://mpm.example/plugins/trello/webhook";

    /// <summary>
    /// Plugins that answer an oversized chunked body in their client's own protocol rather than with 413, and why. A
    /// declared Content-Length over the limit is refused by the host with 413 before them.
    /// </summary>
    private static readonly Dictionary<string, int> OwnChunkedRefusal = new()
    {
        // The registration app shows the message of a 422 to the field agent; other statuses only as "error".
        ["POST /plugins/registration-app/api/auth/login"] = 422,
        ["POST /plugins/registration-app/api/customer-registration-app"] = 422,
    };

    private sealed class Callers
    {
        public required HttpClient Anonymous { get; init; }
        public required string AnonymousToken { get; init; }
        public required HttpClient Admin { get; init; }
        public required string AdminToken { get; init; }
        public required string ApiKey { get; init; }
        public required string AppToken { get; init; }
    }

    private async Task<Callers> CallersAsync()
    {
        await using (var scope = host.Factory.Services.CreateAsyncScope())
        {
            var settings = scope.ServiceProvider.GetRequiredService<PluginSettingsStore>();
            var saves = new (string Plugin, Dictionary<string, string?> Values)[]
            {
                ("vodacom-tz", new() { ["allowedIps"] = "127.0.0.1, ::1", ["spId"] = "332277", ["currency"] = "TZS" }),
                ("airtel-tz", new() { ["allowedIps"] = "127.0.0.1, ::1", ["apiUser"] = "user", ["apiPassword"] = "password", ["currency"] = "TZS" }),
                ("africastalking", new() { ["username"] = "sandbox", ["apiKey"] = "key", ["callbackSecret"] = CallbackSecret }),
                ("sms-http", new() { ["sendUrl"] = "http://127.0.0.1:9/send", ["webhookSecret"] = SmsWebhookSecret }),
                ("trello", new() { ["apiKey"] = "k", ["token"] = "t", ["boardId"] = "b", ["listId"] = "l", ["webhookSecret"] = TrelloSecret, ["callbackUrl"] = TrelloCallback }),
            };
            foreach (var (plugin, values) in saves)
            {
                var errors = await settings.SaveAsync(plugin, PluginSettingsStore.PluginScope, values, "test");
                Assert.True(errors.Count == 0, $"{plugin}: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
            }
        }

        var anonymous = Client();
        var admin = Client();
        Assert.Equal(HttpStatusCode.Redirect, (await MpmWebFactory.PostFormAsync(admin, "/Account/Login", new() { ["Input.Email"] = HostFixture.AdminEmail, ["Input.Password"] = HostFixture.Password })).StatusCode);
        var appLogin = await anonymous.PostAsync("/plugins/registration-app/api/auth/login",
            new StringContent(JsonSerializer.Serialize(new { email = HostFixture.AdminEmail, password = HostFixture.Password }), Encoding.UTF8, "application/json"));
        var appToken = JsonDocument.Parse(await appLogin.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        return new Callers
        {
            Anonymous = anonymous,
            AnonymousToken = MpmWebFactory.AntiforgeryToken(await anonymous.GetStringAsync("/Account/Login")),
            Admin = admin,
            AdminToken = MpmWebFactory.AntiforgeryToken(await admin.GetStringAsync("/")),
            ApiKey = await host.Factory.AddApiKeyAsync("body-limits"),
            AppToken = appToken,
        };
    }

    private HttpClient Client() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(host.BaseUrl) };

    private async Task<List<HostRoute>> ChangingRoutesAsync()
    {
        var routes = (await HostRoutes.ListAsync(host.Factory.Services)).Where(r => r.Method is "POST" or "PUT" or "PATCH").ToList();
        // Every kind is among them, so the enumeration cannot silently shrink.
        Assert.Contains(routes, r => r.IsPage && r.Key == "POST /Account/Login");
        Assert.Contains(routes, r => r.Key == "POST /api/v1/payments");
        Assert.Contains(routes, r => r.Key == "POST /plugins/vodacom-tz/transactions");
        Assert.Contains(routes, r => r.Key == "POST /plugins/africastalking/incoming");
        return routes;
    }

    private long LimitOf(HostRoute route)
    {
        var limit = route.Endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } metadata
            ? metadata.MaxRequestBodySize
            : host.Factory.Services.GetRequiredService<BodyLimits.Settings>().DefaultBytes;
        Assert.True(limit is not null, $"{route.Key} has no body limit");
        return limit!.Value;
    }

    private static string ContentTypeOf(HostRoute route) =>
        route.IsPage || route.Key.StartsWith("POST /plugins/africastalking/", StringComparison.Ordinal) ? "application/x-www-form-urlencoded"
        : route.Key.Contains("-tz/", StringComparison.Ordinal) ? "text/xml"
        : "application/json";

    /// <summary>A body of exactly <paramref name="size"/> bytes of the route's kind (a page's form carries the antiforgery token).</summary>
    private static byte[] Padded(HostRoute route, Callers callers, long size)
    {
        var (head, tail) = ContentTypeOf(route) switch
        {
            "application/x-www-form-urlencoded" => ($"__RequestVerificationToken={Uri.EscapeDataString(route.Key.StartsWith("POST /Account/Login", StringComparison.Ordinal) ? callers.AnonymousToken : callers.AdminToken)}&pad=", ""),
            "text/xml" => ("<pad>", "</pad>"),
            _ => ("{\"pad\":\"", "\"}"),
        };
        var body = new byte[size];
        Array.Fill(body, (byte)'a');
        Encoding.ASCII.GetBytes(head).CopyTo(body, 0);
        Encoding.ASCII.GetBytes(tail).CopyTo(body, size - tail.Length);
        return body;
    }

    private async Task<HttpResponseMessage> SendAsync(HostRoute route, Callers callers, byte[] body, string contentType, bool chunked)
    {
        var access = RouteAccessTests.Table[route.Key];
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url)
        {
            Content = chunked ? new ChunkedContent(body) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        switch (access)
        {
            case Access.ApiKey:
                request.Headers.Add("X-Api-Key", callers.ApiKey);
                break;
            case Access.OwnAuth:
                foreach (var (name, value) in OwnCredentials(route, callers, body))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                break;
        }

        var client = access is Access.SignedIn or Access.Manager or Access.Admin ? callers.Admin : callers.Anonymous;
        return await client.SendAsync(request);
    }

    /// <summary>What each provider, gateway, app or webhook endpoint takes as its caller's authentication.</summary>
    private static IEnumerable<(string, string)> OwnCredentials(HostRoute route, Callers callers, byte[] body)
    {
        if (route.Key.StartsWith("POST /plugins/africastalking/", StringComparison.Ordinal))
        {
            yield return ("X-MPM-Key", CallbackSecret);
        }
        else if (route.Key == "POST /plugins/sms-http/incoming")
        {
            yield return ("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SmsWebhookSecret), body)));
        }
        else if (route.Key == "POST /plugins/trello/webhook")
        {
            yield return ("X-Trello-Webhook", Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(TrelloSecret), body.Concat(Encoding.UTF8.GetBytes(TrelloCallback)).ToArray())));
        }
        else if (route.Key.StartsWith("POST /plugins/registration-app/", StringComparison.Ordinal))
        {
            yield return ("Authorization", $"Bearer {callers.AppToken}");
        }

        // Vodacom and Airtel: the allow-list (loopback, set above); their credentials are inside the body.
    }

    /// <summary>Row counts of every table of the core's and the plugins' schemas.</summary>
    private async Task<Dictionary<string, long>> RowCountsAsync()
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND (table_schema = 'mpm' OR table_schema LIKE 'plg\\_%')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        return counts;
    }

    private static string Describe(HttpResponseMessage response, string body) =>
        $"{(int)response.StatusCode} {response.Headers.Location} {body[..Math.Min(body.Length, 200)]}";

    [Fact]
    public async Task EveryChangingRouteRefusesAnOversizedBodyWith413DeclaredOrChunked()
    {
        var callers = await CallersAsync();
        var routes = await ChangingRoutesAsync();
        var before = await RowCountsAsync();
        var failures = new List<string>();

        // Logging out last: were it not refused, the admin would be signed out for the routes after it.
        foreach (var route in routes.OrderBy(r => r.Key == "POST /Account/Logout"))
        {
            var body = Padded(route, callers, LimitOf(route) + 1);
            foreach (var chunked in new[] { false, true })
            {
                HttpResponseMessage response;
                try
                {
                    response = await SendAsync(route, callers, body, ContentTypeOf(route), chunked);
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"{route.Key} ({(chunked ? "chunked" : "Content-Length")}): no answer: {e.Message} {e.InnerException?.Message}");
                    continue;
                }

                using var answered = response;
                var text = await response.Content.ReadAsStringAsync();
                var expected = chunked && OwnChunkedRefusal.TryGetValue(route.Key, out var own) ? own : 413;
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{route.Key} ({(chunked ? "chunked" : "Content-Length")}, {body.Length} bytes): got {Describe(response, text)}, expected {expected}");
                }
                else if (expected == 413 && response.Content.Headers.ContentLength is 0)
                {
                    failures.Add($"{route.Key} ({(chunked ? "chunked" : "Content-Length")}): 413 without a message");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task MalformedBodiesAreRefusedWith400Or415AndStoreNothing()
    {
        var callers = await CallersAsync();
        var routes = await ChangingRoutesAsync();
        var before = await RowCountsAsync();
        var failures = new List<string>();

        // Logging out last: were it not refused, the admin would be signed out for the routes after it.
        foreach (var route in routes.OrderBy(r => r.Key == "POST /Account/Logout"))
        {
            var token = route.Key.StartsWith("POST /Account/Login", StringComparison.Ordinal) ? callers.AnonymousToken : callers.AdminToken;
            (string What, string ContentType, string Body)[] cases = route.IsPage
                ? [
                    ("JSON instead of a form", "application/json", "{\"Input\":"),
                    ("a broken multipart form", "multipart/form-data; boundary=xyz", $"--xyz\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n--xy"),
                    ("a form with 5000 fields", "application/x-www-form-urlencoded", $"__RequestVerificationToken={Uri.EscapeDataString(token)}&" + string.Join("&", Enumerable.Range(0, 5000).Select(i => $"f{i}=1"))),
                ]
                : ContentTypeOf(route) == "application/json"
                    ? [("broken JSON", "application/json", "{\"reference\": \"x\", "), ("JSON of the wrong shape", "application/json", "[1, 2"), ("text instead of JSON", "text/plain", "reference=x")]
                    : ContentTypeOf(route) == "text/xml"
                        ? [("broken XML", "text/xml", "<mpesaBroker><request>"), ("a DTD", "text/xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>")]
                        : [
                            ("JSON instead of a form", "application/json", "{\"from\":"),
                            ("a form without its fields", "application/x-www-form-urlencoded", "%%%=&&==%zz"),
                            ("a form with 5000 fields", "application/x-www-form-urlencoded", string.Join("&", Enumerable.Range(0, 5000).Select(i => $"f{i}=1"))),
                        ];
            foreach (var (what, contentType, text) in cases)
            {
                using var response = await SendAsync(route, callers, Encoding.UTF8.GetBytes(text), contentType, chunked: false);
                var answer = await response.Content.ReadAsStringAsync();
                var allowed = route.Key.StartsWith("POST /plugins/registration-app/", StringComparison.Ordinal) ? new[] { 400, 415, 422 } : [400, 415];
                if (!allowed.Contains((int)response.StatusCode))
                {
                    failures.Add($"{route.Key} ({what}): got {Describe(response, answer)}, expected {string.Join(" or ", allowed)}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await RowCountsAsync());
    }

    /// <summary>A body sent with Transfer-Encoding: chunked (no Content-Length), in 16 KB pieces.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>A plugin's own limit on an endpoint overrides the host's default for /plugins/{id}, larger or smaller.</summary>
public sealed class PluginBodyLimitTests(RealPortFixturePluginsHost host) : IClassFixture<RealPortFixturePluginsHost>
{
    [Fact]
    public async Task AnEndpointsOwnLimitOverridesTheGroupDefault()
    {
        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var pluginDefault = host.Factory.Services.GetRequiredService<BodyLimits.Settings>().PluginBytes;
        var large = new byte[pluginDefault + 1024];
        var small = new byte[2048];

        // Over the group's default, within the endpoint's larger limit: read whole.
        var accepted = await client.PostAsync("/plugins/fixture-good/upload-large", new ByteArrayContent(large));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(large.Length, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("bytes").GetInt64());

        // The same body on an endpoint with only the group's default, and a small one over an endpoint's smaller limit.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/plugins/fixture-good/hook", new ByteArrayContent(large))).StatusCode);
        var refused = await client.PostAsync("/plugins/fixture-good/upload-small", new ByteArrayContent(small));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("The request body is too large: at most 1 KB may be sent here.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/plugins/fixture-good/upload-small", new StreamContent(new NonSeekable(small)))).StatusCode);
    }

    /// <summary>A stream without a length: HttpClient sends it chunked.</summary>
    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
