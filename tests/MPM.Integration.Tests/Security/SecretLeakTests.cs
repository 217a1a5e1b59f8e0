using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MPM.Core;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using MPM.Web.Demo;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>
/// No secret — a vending key, an API key, a provider's password or certificate key, a gateway's or webhook's secret, the
/// metrics token, an app's bearer token, an operator's password — appears in a page, a response header, an error
/// message or a log line. The host runs with every shipped plugin on real HTTP, with every log line captured; each
/// plugin setting declared Secret is given a distinctive value through the settings forms; then payments go through
/// the pipeline, providers and gateways call with right and wrong credentials, REST is called with a wrong and a
/// revoked key, every settings form is saved with errors, and every page an admin can reach is read.
/// </summary>
public sealed class SecretLeakTests(SecretLeakTests.SecretsHost host) : IClassFixture<SecretLeakTests.SecretsHost>
{
    /// <summary>What the host answered: where, status, headers and body.</summary>
    private sealed record Answer(string What, int Status, string Headers, string Body);

    private readonly List<Answer> _answers = [];

    [Fact]
    public async Task NoSecretAppearsInAnyPageHeaderErrorOrLogLine()
    {
        var secrets = new Secrets();
        using var admin = host.BrowserClient();
        var login = await PostFormAsync(admin, "/Account/Login", new() { ["Input.Email"] = HostFixture.AdminEmail, ["Input.Password"] = HostFixture.Password });
        Assert.Equal(302, login.Status);
        var closed = ClosedPort();
        var nowhere = $"http://127.0.0.1:{closed}";

        // 1. Every secret setting gets its distinctive value through the plugin settings forms (the write path operators use).
        var pluginForms = new Dictionary<string, Dictionary<string, string>>
        {
            ["vodacom-tz"] = new()
            {
                ["allowedIps"] = "127.0.0.1, ::1", ["spId"] = SecretsHost.SpId, ["spPassword"] = secrets.VodacomPassword, ["currency"] = "TZS",
                ["resultUrl"] = $"{nowhere}/vodacom/result", ["clientCertificate"] = secrets.VodacomCertificate,
            },
            ["airtel-tz"] = new()
            {
                ["allowedIps"] = "127.0.0.1, ::1", ["apiUser"] = SecretsHost.AirtelUser, ["apiPassword"] = secrets.AirtelPassword, ["currency"] = "TZS",
                ["rollbackUrl"] = $"{nowhere}/airtel/rollback", ["clientCertificate"] = secrets.AirtelCertificate,
            },
            ["africastalking"] = new()
            {
                ["baseUrl"] = nowhere, ["username"] = "sandbox", ["apiKey"] = secrets.AfricasTalkingKey, ["callbackSecret"] = secrets.AfricasTalkingCallback,
            },
            ["sms-http"] = new()
            {
                ["sendUrl"] = $"{nowhere}/send", ["authHeaderName"] = "Authorization", ["authHeaderValue"] = secrets.SmsHttpAuth, ["webhookSecret"] = secrets.SmsHttpWebhook,
            },
            ["trello"] = new()
            {
                ["baseUrl"] = nowhere, ["apiKey"] = secrets.TrelloKey, ["token"] = secrets.TrelloToken, ["boardId"] = "board-1", ["listId"] = "list-1",
                ["webhookSecret"] = secrets.TrelloWebhook, ["callbackUrl"] = $"{host.BaseUrl}/plugins/trello/webhook", ["timeoutSeconds"] = "5",
            },
        };
        foreach (var (plugin, values) in pluginForms)
        {
            var saved = await PostFormAsync(admin, $"/Plugins/Settings/{plugin}", values);
            Assert.True(saved.Status == 302, $"saving {plugin}'s settings: {saved.Status}");
        }

        var manufacturer = await host.ScalarAsync<long>("SELECT id FROM mpm.manufacturers WHERE token_generator = 'sts' ORDER BY id LIMIT 1");
        var stsForm = new Dictionary<string, string>
        {
            ["vendingKey"] = secrets.VendingKey, ["keyGeneration"] = "04", ["encryption"] = "11", ["supplyGroupCode"] = "123457",
            ["tariffIndex"] = "1", ["keyRevision"] = "1", ["keyType"] = "2", ["baseDate"] = "2014",
        };
        var stsSaved = await PostFormAsync(admin, $"/Manufacturers/Settings/{manufacturer}", stsForm);
        Assert.Equal(302, stsSaved.Status);
        Assert.Equal(302, (await PostFormAsync(admin, "/Sms?handler=Gateway", new() { ["gateway"] = "sms-http" }, "/Sms")).Status);
        Assert.Equal(302, (await PostFormAsync(admin, "/Tickets?handler=Provider", new() { ["provider"] = "trello" }, "/Tickets")).Status);

        // Every plugin setting declared Secret got a value above: the test cannot silently miss a new one.
        var declaredSecrets = await host.DeclaredSecretsAsync();
        var configured = pluginForms.SelectMany(p => p.Value.Keys.Select(k => $"{p.Key}/{k}")).Concat(stsForm.Keys.Select(k => $"sts/{k}")).ToHashSet();
        Assert.NotEmpty(declaredSecrets);
        Assert.All(declaredSecrets, s => Assert.Contains(s, configured));

        // 2. API keys: one made on the page (its one response is the only place it may appear), one revoked.
        var created = await PostFormAsync(admin, "/ApiKeys?handler=Create", new() { ["name"] = "leak-test" }, "/ApiKeys", allowSecret: true);
        var apiKey = WebUtility.HtmlDecode(Regex.Match(created.Body, "id=\"api-key-value\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.StartsWith("mpm_", apiKey);
        secrets.Add("the API key", apiKey);
        secrets.Add("the API key's secret part", apiKey[13..]);
        // The scanner finds a secret where it is: the creation response carries the key.
        Assert.Contains(secrets.FoundIn(created.Body), f => f.StartsWith("the API key", StringComparison.Ordinal));

        var revokedResponse = await PostFormAsync(admin, "/ApiKeys?handler=Create", new() { ["name"] = "leak-test-revoked" }, "/ApiKeys", allowSecret: true);
        var revokedKey = WebUtility.HtmlDecode(Regex.Match(revokedResponse.Body, "id=\"api-key-value\" value=\"([^\"]+)\"").Groups[1].Value);
        secrets.Add("the revoked API key", revokedKey);
        Assert.Equal(200, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/plugins").WithHeader("X-Api-Key", revokedKey))).Status);
        var revokedId = await host.ScalarAsync<long>("SELECT id FROM mpm.api_keys WHERE name = 'leak-test-revoked'");
        Assert.Equal(302, (await PostFormAsync(admin, "/ApiKeys?handler=Revoke", new() { ["id"] = revokedId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/ApiKeys")).Status);
        Assert.Equal(401, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/plugins").WithHeader("X-Api-Key", revokedKey))).Status);
        Assert.Equal(401, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/transactions").WithHeader("X-Api-Key", secrets.WrongApiKey))).Status);

        // 3. Payments through the pipeline: the vending key makes tokens, SMS go to the (unreachable) gateway with its auth
        // header, outcomes go to the (unreachable) broker with the client certificate.
        var serial = await host.ScalarAsync<string>("SELECT m.serial_number FROM mpm.meters m JOIN mpm.manufacturers f ON f.id = m.manufacturer_id WHERE f.token_generator = 'sts' AND m.in_use ORDER BY m.id LIMIT 1");
        Assert.NotNull(serial);
        var rest = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments")
        {
            Content = JsonContent.Create(new { reference = "leak-rest-1", meterSerial = serial, amount = 5000m, payerPhone = "+255713000123" }),
        }.WithHeader("X-Api-Key", apiKey));
        Assert.Equal(202, rest.Status);
        Assert.Equal(200, (await SendAsync(Xml("/plugins/vodacom-tz/transactions", Vodacom("leak-voda-1", serial!, secrets.VodacomPassword, hashed: true)))).Status);
        var airtel = await SendAsync(Xml("/plugins/airtel-tz/transactions", Airtel("leak-airtel-1", serial!, secrets.AirtelPassword)));
        Assert.Equal(200, airtel.Status);
        Assert.Contains("<TXNSTATUS>200</TXNSTATUS>", airtel.Body);
        await Poll.UntilAsync(async () => await host.ScalarAsync<long>("SELECT count(*) FROM mpm.transactions WHERE provider_reference LIKE 'leak-%' AND status IN ('confirmed', 'cancelled')") == 3,
            TimeSpan.FromSeconds(60), "the three payments to finish");
        var statuses = await host.ScalarAsync<string>("SELECT string_agg(provider_reference || ':' || status || ':' || (SELECT count(*) FROM mpm.tokens k WHERE k.transaction_id = t.id), ', ') FROM mpm.transactions t WHERE provider_reference LIKE 'leak-%'");
        Assert.True(await host.ScalarAsync<long>("SELECT count(*) FROM mpm.tokens k JOIN mpm.transactions t ON t.id = k.transaction_id WHERE t.provider_reference LIKE 'leak-%'") >= 1, $"a token made with the vending key: {statuses}");

        // 4. Providers, gateways, webhooks, the app and the scraper with wrong credentials (and right ones where the
        // credential travels in the request).
        Assert.Equal(401, (await SendAsync(Xml("/plugins/vodacom-tz/transactions", Vodacom("leak-voda-bad", serial!, secrets.WrongPassword, hashed: true)))).Status);
        Assert.Equal(200, (await SendAsync(Xml("/plugins/vodacom-tz/transactions", Vodacom("leak-voda-plain", serial!, secrets.VodacomPassword, hashed: false)))).Status);
        var airtelRefused = await SendAsync(Xml("/plugins/airtel-tz/transactions", Airtel("leak-airtel-bad", serial!, secrets.WrongPassword)));
        Assert.DoesNotContain("<TXNSTATUS>200</TXNSTATUS>", airtelRefused.Body);
        foreach (var path in new[] { "/plugins/africastalking/incoming", "/plugins/africastalking/delivery-reports" })
        {
            Assert.True((await SendAsync(Form(path, secrets.WrongPassword))).Status is 401 or 403);
            Assert.True((await SendAsync(Form(path + "?key=" + Uri.EscapeDataString(secrets.WrongPassword), null))).Status is 401 or 403);
            Assert.True((await SendAsync(Form(path + "?key=" + Uri.EscapeDataString(secrets.AfricasTalkingCallback), null))).Status < 500);
            Assert.True((await SendAsync(Form(path, secrets.AfricasTalkingCallback))).Status < 500);
        }

        Assert.True((await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/plugins/sms-http/incoming") { Content = new StringContent("{\"from\":\"+255713000123\",\"message\":\"hi\"}", Encoding.UTF8, "application/json") }
            .WithHeader("X-Signature", "sha256=" + new string('0', 64)))).Status is 401 or 403);
        Assert.True((await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/plugins/trello/webhook") { Content = new StringContent("{\"action\":{}}", Encoding.UTF8, "application/json") }
            .WithHeader("X-Trello-Webhook", Convert.ToBase64String(Encoding.UTF8.GetBytes(secrets.TrelloWebhook))))).Status is 401 or 403);
        var appLogin = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/plugins/registration-app/api/auth/login") { Content = JsonContent.Create(new { email = SecretsHost.AgentEmail, password = secrets.WrongPassword }) });
        Assert.Equal(422, appLogin.Status); // the app shows a 422's errors; 401 would sign it out
        var appSignedIn = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/plugins/registration-app/api/auth/login") { Content = JsonContent.Create(new { email = SecretsHost.AgentEmail, password = HostFixture.Password }) }, allowSecret: true);
        var appToken = Regex.Match(appSignedIn.Body, "\"access_token\":\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(appToken);
        secrets.Add("the app's bearer token", appToken);
        Assert.Equal(200, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/plugins/registration-app/api/customer-registration-app/tariffs").WithHeader("Authorization", $"Bearer {appToken}"))).Status);
        Assert.Equal(401, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/plugins/registration-app/api/customer-registration-app/tariffs").WithHeader("Authorization", $"Bearer {secrets.WrongPassword}"))).Status);
        Assert.Equal(401, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").WithHeader("Authorization", $"Bearer {secrets.WrongPassword}"))).Status);
        Assert.Equal(200, (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").WithHeader("Authorization", $"Bearer {secrets.MetricsToken}"))).Status);
        using var stranger = host.BrowserClient();
        var wrongLogin = await PostFormAsync(stranger, "/Account/Login", new() { ["Input.Email"] = HostFixture.AdminEmail, ["Input.Password"] = secrets.WrongPassword });
        Assert.Equal(200, wrongLogin.Status);

        // A ticket goes to Trello (unreachable) with the key and token.
        var category = await host.ScalarAsync<long>("SELECT min(id) FROM mpm.ticket_categories");
        Assert.Equal(302, (await PostFormAsync(admin, "/Tickets/New", new()
        {
            ["Input.Title"] = "Leak test ticket", ["Input.Description"] = "a ticket for the Trello outbox", ["Input.CategoryId"] = category.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })).Status);

        // 5. Every settings form saved with an error and new secrets typed: the form comes back without them.
        foreach (var (plugin, values) in pluginForms)
        {
            var typed = values.ToDictionary(v => v.Key, v => v.Value);
            foreach (var key in typed.Keys.Where(k => declaredSecrets.Contains($"{plugin}/{k}")).ToList())
            {
                typed[key] = secrets.Retyped(plugin, key);
            }

            var required = plugin switch { "vodacom-tz" => "spId", "airtel-tz" => "apiUser", "africastalking" => "username", "sms-http" => "sendUrl", _ => "boardId" };
            typed[required] = "";
            var refused = await PostFormAsync(admin, $"/Plugins/Settings/{plugin}", typed);
            Assert.True(refused.Status == 200 && refused.Body.Contains("invalid-feedback", StringComparison.Ordinal), $"{plugin}: the form with an error");
        }

        var stsTyped = new Dictionary<string, string>(stsForm) { ["vendingKey"] = secrets.Retyped("sts", "vendingKey"), ["supplyGroupCode"] = "" };
        var stsRefused = await PostFormAsync(admin, $"/Manufacturers/Settings/{manufacturer}", stsTyped);
        Assert.Contains("invalid-feedback", stsRefused.Body);

        // 6. Every page an admin can reach: each GET route of the host (with real ids), every plugin's settings page,
        // and every link found on the pages read, REST reads with the key.
        await host.FarEndsTriedAsync();
        var crawled = await CrawlAsync(admin, apiKey);
        foreach (var plugin in pluginForms.Keys)
        {
            Assert.Contains($"/Plugins/Settings/{plugin}", crawled);
        }

        Assert.Contains($"/Manufacturers/Settings/{manufacturer}", crawled);
        Assert.Contains("/ApiKeys", crawled);
        Assert.Contains("/Audit", crawled);
        Assert.True(crawled.Count > 60, $"only {crawled.Count} pages read");

        // Each secret is in use: the plugins were handed them, the settings pages say they are set.
        var settingsPage = WebUtility.HtmlDecode(await admin.GetStringAsync("/Plugins/Settings/trello"));
        Assert.Equal(3, Regex.Matches(settingsPage, "\\(set; leave blank to keep\\)").Count);

        // 7. The verdict: no secret in any answer (bar the two that had to carry one) nor in any log line.
        var leaks = new List<string>();
        foreach (var answer in _answers)
        {
            foreach (var found in secrets.FoundIn(answer.Headers + "\n" + answer.Body))
            {
                leaks.Add($"{answer.What} ({answer.Status}): {found}");
            }
        }

        var lines = host.Capture.Lines.ToList();
        Assert.True(lines.Count > 500, $"only {lines.Count} log lines captured");
        // The request lines are there, with the callback's key redacted (ASP.NET Core's own carried it as it came).
        Assert.Contains(lines, l => l.Category == MPM.Web.Security.RequestLog.Category && l.Message.Contains("/plugins/africastalking/incoming?key=*** - 200", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            var text = $"{line.Message}\n{string.Join("\n", line.Properties.Select(p => $"{p.Key}={p.Value}"))}\n{line.Exception}";
            foreach (var found in secrets.FoundIn(text))
            {
                leaks.Add($"log [{line.Category}] {line.Level}: {found}: {Shorten(line.Message)}");
            }
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} leak(s):\n" + string.Join("\n", leaks.Distinct().Take(60)));

        // No answer was a server error (whose page could have hidden what it would otherwise show).
        Assert.Empty(_answers.Where(a => a.Status >= 500).Select(a => $"{a.What}: {a.Status}"));
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>Reads every GET route (sample ids from the database) and every same-site link on the pages read.</summary>
    private async Task<HashSet<string>> CrawlAsync(HttpClient admin, string apiKey)
    {
        var queue = new Queue<string>(await host.GetRoutesAsync());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var perPath = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var read = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (queue.Count > 0 && seen.Count < 600)
        {
            var url = queue.Dequeue();
            var path = url.Split('?')[0];
            if (!seen.Add(url) || path.Contains("/Logout", StringComparison.OrdinalIgnoreCase) || (perPath[path] = perPath.GetValueOrDefault(path) + 1) > 3)
            {
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (path.StartsWith("/api/", StringComparison.Ordinal) || path == "/metrics")
            {
                request.Headers.Add("X-Api-Key", apiKey);
            }

            var response = await admin.SendAsync(request);
            var answer = await RecordAsync($"GET {url} (admin)", response);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                read.Add(path);
            }

            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            foreach (Match link in Regex.Matches(answer.Body, "href=\"(/[^\"#]*)\""))
            {
                var target = WebUtility.HtmlDecode(link.Groups[1].Value);
                if (!target.StartsWith("//", StringComparison.Ordinal) && !Regex.IsMatch(target, @"\.(css|js|svg|png|ico|woff2?|map)(\?|$)", RegexOptions.IgnoreCase))
                {
                    queue.Enqueue(target);
                }
            }
        }

        return read;
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, bool allowSecret = false)
    {
        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        using (request)
        {
            var what = $"{request.Method} {request.RequestUri}";
            return await RecordAsync(what, await client.SendAsync(request), allowSecret);
        }
    }

    private async Task<Answer> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string? pageUrl = null, bool allowSecret = false)
    {
        var page = await client.GetAsync(pageUrl ?? url);
        var pageAnswer = await RecordAsync($"GET {pageUrl ?? url} (form)", page);
        fields["__RequestVerificationToken"] = MpmWebFactory.AntiforgeryToken(pageAnswer.Body);
        var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        return await RecordAsync($"POST {url}", response, allowSecret);
    }

    private async Task<Answer> RecordAsync(string what, HttpResponseMessage response, bool allowSecret = false)
    {
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
        var answer = new Answer(what, (int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
        if (!allowSecret)
        {
            _answers.Add(answer);
        }

        return answer;
    }

    private static HttpRequestMessage Xml(string path, string body) => new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };

    private static HttpRequestMessage Form(string path, string? secretHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = "+255713000123", ["to"] = "12345", ["text"] = "hi", ["id"] = "at-1", ["status"] = "Success", ["date"] = "2026-01-01 10:00:00" }),
        };
        return secretHeader is null ? request : request.WithHeader("X-MPM-Key", secretHeader);
    }

    /// <summary>A Vodacom payment; its spPassword is the password itself or Base64(SHA-256(spId + password + timestamp)).</summary>
    private static string Vodacom(string reference, string meter, string password, bool hashed)
    {
        var timestamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var spPassword = hashed ? Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(SecretsHost.SpId + password + timestamp))) : password;
        return $"""
            <mpesaBroker xmlns="http://infowise.co.tz/broker/" version="2.0"><request>
            <serviceProvider><spId>{SecretsHost.SpId}</spId><spPassword>{spPassword}</spPassword><timestamp>{timestamp}</timestamp></serviceProvider>
            <transaction><amount>3000.00</amount><commandID>Pay Bill</commandID><initiator>255757966347</initiator><conversationID>{reference}</conversationID>
            <originatorConversationID>o-{reference}</originatorConversationID><recipient>{SecretsHost.SpId}</recipient><mpesaReceipt>R{reference}</mpesaReceipt>
            <transactionDate>2026-01-01 10:00:00</transactionDate><accountReference>{meter}</accountReference><transactionID>{reference}</transactionID></transaction>
            </request></mpesaBroker>
            """;
    }

    private static string Airtel(string reference, string meter, string password) =>
        $"<COMMAND><APIUser>{SecretsHost.AirtelUser}</APIUser><APIPassword>{password}</APIPassword><INTERFACEID>MPM</INTERFACEID><BusinessNumber>123456</BusinessNumber>" +
        $"<TransID>{reference}</TransID><Amount>3000.00</Amount><ReferenceField>{meter}</ReferenceField><Msisdn>784000111</Msisdn><TRID>TR-{reference}</TRID></COMMAND>";

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The distinctive secret values of this run and where each one is looked for.</summary>
    private sealed class Secrets
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly string _run = Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

        public Secrets()
        {
            VodacomPassword = Make("vodacom spPassword");
            AirtelPassword = Make("airtel apiPassword");
            AfricasTalkingKey = Make("africastalking apiKey");
            AfricasTalkingCallback = Make("africastalking callbackSecret");
            SmsHttpAuth = "Bearer " + Make("sms-http authHeaderValue");
            SmsHttpWebhook = Make("sms-http webhookSecret");
            TrelloKey = Make("trello apiKey");
            TrelloToken = Make("trello token");
            TrelloWebhook = Make("trello webhookSecret");
            MetricsToken = SecretsHost.MetricsToken;
            Add("the metrics bearer token", MetricsToken);
            WrongPassword = Make("a wrong credential");
            WrongApiKey = "mpm_0badc0de_" + Make("a wrong API key");
            Add("an operator's password", HostFixture.Password);
            VendingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
            Add("sts vendingKey", VendingKey);
            VodacomCertificate = Certificate("vodacom clientCertificate");
            AirtelCertificate = Certificate("airtel clientCertificate");
        }

        public string VodacomPassword { get; }
        public string AirtelPassword { get; }
        public string AfricasTalkingKey { get; }
        public string AfricasTalkingCallback { get; }
        public string SmsHttpAuth { get; }
        public string SmsHttpWebhook { get; }
        public string TrelloKey { get; }
        public string TrelloToken { get; }
        public string TrelloWebhook { get; }
        public string MetricsToken { get; }
        public string WrongPassword { get; }
        public string WrongApiKey { get; }
        public string VendingKey { get; }
        public string VodacomCertificate { get; }
        public string AirtelCertificate { get; }

        public void Add(string name, string value) => _values[name] = value;

        /// <summary>A new value typed into a secret field of a form that is refused: it must not come back either.</summary>
        public string Retyped(string plugin, string key)
        {
            var value = plugin == "sts" ? Convert.ToHexString(RandomNumberGenerator.GetBytes(20)) : $"Retyped{_run}{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}";
            Add($"{plugin} {key} (typed into a refused form)", value);
            return value;
        }

        /// <summary>The names of the secrets <paramref name="text"/> contains (hex keys in either case).</summary>
        public IEnumerable<string> FoundIn(string text) =>
            _values.Where(v => text.Contains(v.Value, StringComparison.OrdinalIgnoreCase)).Select(v => v.Key);

        private string Make(string name)
        {
            var value = $"Sec{_run}{name.Replace(" ", "", StringComparison.Ordinal)}{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}";
            Add(name, value);
            return value;
        }

        /// <summary>A self-signed certificate with its private key, PEM; the key's base64 lines are the secret.</summary>
        private string Certificate(string name)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest($"CN={name.Split(' ')[0]}.leak-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var key = rsa.ExportPkcs8PrivateKeyPem();
            var keyLines = key.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Add($"{name} (private key)", keyLines[3]);
            Add($"{name} (private key, end)", keyLines[^3]);
            return certificate.ExportCertificatePem() + "\n" + key;
        }
    }

    /// <summary>The host with every shipped plugin on loopback over real HTTP, logging everything into <see cref="Capture"/>, on a small demo operator.</summary>
    public sealed class SecretsHost : HostFixture
    {
        public const string SpId = "332277";
        public const string AirtelUser = "mpm-airtel-user";
        public const string AgentEmail = "agent@example.com";
        public static readonly string MetricsToken = $"SecMetricsBearer{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}";

        public CapturingLoggerProvider Capture { get; } = new();

        /// <summary>A cookie-keeping client of the real port that does not follow redirects.</summary>
        public HttpClient BrowserClient() =>
            new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) };

        protected override string? PluginsFile => Path.Combine(Repo.Root, "plugins.json");

        protected override bool RealPort => true;

        protected override MpmWebFactory CreateFactory(TestDatabase database) => new CapturingFactory(database, PluginsFile!, Capture);

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Factory.AddUserAsync(AgentEmail, Password, Roles.FieldAgent);
            await using var scope = Factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(new DemoOptions(Customers: 12, Months: 2, PaymentHistory: false));
        }

        /// <summary>Waits until the pipeline has tried the unreachable SMS gateway and broker and the ticket outbox has tried Trello, so their failures are logged.</summary>
        public Task FarEndsTriedAsync() => Poll.UntilAsync(async () => await ScalarAsync<bool>("""
                SELECT EXISTS (SELECT 1 FROM mpm.sms_messages s JOIN mpm.transactions t ON t.id = s.transaction_id WHERE t.provider_reference LIKE 'leak-%' AND s.attempts > 0)
                   AND EXISTS (SELECT 1 FROM mpm.provider_outbox o JOIN mpm.transactions t ON t.id = o.transaction_id WHERE t.provider_reference LIKE 'leak-%' AND o.attempts > 0)
                   AND EXISTS (SELECT 1 FROM mpm.ticket_outbox WHERE provider = 'trello' AND attempts > 0)
                """), TimeSpan.FromSeconds(60), "the SMS, outcome and ticket outboxes to try their far ends");

        /// <summary>"plugin/key" of every setting a loaded plugin declares Secret.</summary>
        public Task<List<string>> DeclaredSecretsAsync()
        {
            var plugins = Factory.Services.GetRequiredService<MPM.Web.Plugins.PluginHost>();
            return Task.FromResult(plugins.Plugins.Where(p => p.Status == MPM.Web.Plugins.PluginStatus.Active)
                .SelectMany(p => p.Settings.Where(s => s.Secret).Select(s => $"{p.Id}/{s.Key}")).ToList());
        }

        /// <summary>Every GET route: pages and endpoints, with ids that exist (each plugin's settings page, each manufacturer's).</summary>
        public async Task<List<string>> GetRoutesAsync()
        {
            var samples = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["/Customers/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.customers"),
                ["/Meters/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.meters"),
                ["/Transactions/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.transactions"),
                ["/api/v1/transactions/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.transactions"),
                ["/Tickets/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.tickets"),
                ["/Dashboards/Cluster/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.clusters"),
                ["/api/v1/dashboards/clusters/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.clusters"),
                ["/Dashboards/MiniGrid/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.mini_grids"),
                ["/api/v1/dashboards/mini-grids/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.mini_grids"),
                ["/Manufacturers/Settings/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.manufacturers WHERE token_generator = 'sts'"),
                ["/Manufacturers/Edit/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.manufacturers"),
                ["/Tariffs/Edit/"] = await ScalarAsync<string>("SELECT min(id)::text FROM mpm.tariffs"),
            };
            var serial = await ScalarAsync<string>("SELECT min(serial_number) FROM mpm.meters");
            var plugins = Factory.Services.GetRequiredService<MPM.Web.Plugins.PluginHost>().Plugins.Where(p => p.Status == MPM.Web.Plugins.PluginStatus.Active).Select(p => p.Id).ToList();
            var urls = new List<string>();
            foreach (var endpoint in Factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
            {
                var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                if (!isPage && methods is not null && !methods.Contains("GET"))
                {
                    continue;
                }

                var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
                if (pattern.Contains("{*", StringComparison.Ordinal))
                {
                    continue;
                }

                if (pattern.StartsWith("/Plugins/Settings/", StringComparison.OrdinalIgnoreCase))
                {
                    urls.AddRange(plugins.Select(p => $"/Plugins/Settings/{p}"));
                    continue;
                }

                var prefix = samples.Keys.FirstOrDefault(k => pattern.StartsWith(k, StringComparison.OrdinalIgnoreCase));
                var url = Regex.Replace(pattern, @"\{(?<name>[^}:=?]+)(?<constraint>[^}]*)\}", m =>
                    m.Groups["name"].Value == "serial" ? serial ?? "1"
                    : m.Groups["constraint"].Value.EndsWith('?') ? ""
                    : prefix is not null ? samples[prefix] ?? "1"
                    : "1").TrimEnd('/');
                urls.Add(url.Length == 0 ? "/" : url);
                if (pattern.Contains("{id:long?}", StringComparison.Ordinal) && prefix is not null && samples[prefix] is { } id)
                {
                    urls.Add($"{url}/{id}");
                }
            }

            return urls.Distinct().ToList();
        }
    }

    /// <summary>The test host: all plugins, the metrics token set, every log line (Trace up) captured.</summary>
    public sealed class CapturingFactory(TestDatabase database, string pluginsFile, CapturingLoggerProvider capture) : MpmWebFactory(database, pluginsFile)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Metrics:BearerToken", SecretsHost.MetricsToken);
            builder.ConfigureLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        }
    }
}

internal static class RequestExtensions
{
    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
