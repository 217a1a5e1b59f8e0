using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace MPM.Testing.Faults;

/// <summary>The kinds of request the fault run sends.</summary>
public enum RequestKind
{
    Vodacom,
    Airtel,
    Rest,
    Dashboard,
}

/// <summary>One payment as its provider sees it: the reference it keeps sending until the host answers for sure.</summary>
public sealed record SentPayment(string Provider, string Reference, string Meter, decimal Amount)
{
    /// <summary>The transaction id the host answered with (Airtel's TXNID, the REST transactionId); Vodacom's answer names none.</summary>
    public long? AnsweredId { get; set; }

    public bool Accepted { get; set; }

    public string? Refusal { get; set; }
}

/// <summary>
/// Clients that behave as the providers do: a connection error, a timeout or a 5xx is an unknown outcome, so the same
/// request (same reference) is sent again until the host answers it; a duplicate is a resend of an answered payment.
/// </summary>
public sealed class Traffic(string baseUrl, string apiKey, string spId, string spPassword, string airtelUser, string airtelPassword, IReadOnlyList<string> meters, int seed)
{
    public const string ReferencePrefix = "flt";
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(4);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Requests in flight at once, all clients together (providers' own connection pools are bounded too).</summary>
    public const int MaxInFlight = 48;

    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private readonly Random _random = new(seed);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    public ConcurrentQueue<SentPayment> Payments { get; } = new();

    /// <summary>Requests that got an answer, by kind (first sends, resends after an unknown outcome and duplicates alike).</summary>
    public ConcurrentDictionary<RequestKind, int> Answered { get; } = new();

    /// <summary>Requests without a usable answer (connection refused or reset, timeout, 5xx), by kind.</summary>
    public ConcurrentDictionary<RequestKind, int> Unknown { get; } = new();

    public int Duplicates;

    /// <summary>Duplicates answered with another transaction id than the first answer's (a violation).</summary>
    public ConcurrentQueue<string> DuplicateMismatches { get; } = new();

    /// <summary>One request of the given kind: a new payment (or, for <paramref name="duplicate"/>, a resend of an answered one), or a dashboard read.</summary>
    public Task SendAsync(RequestKind kind, bool duplicate)
    {
        if (kind == RequestKind.Dashboard)
        {
            return ReadDashboardAsync();
        }

        SentPayment? payment = null;
        lock (_random)
        {
            if (duplicate)
            {
                var answered = Payments.Where(p => p.Accepted && Provider(kind) == p.Provider).ToList();
                if (answered.Count > 0)
                {
                    payment = answered[_random.Next(answered.Count)];
                }
            }

            if (payment is null)
            {
                duplicate = false;
                // Amounts from 500 to 20,000: the smallest fall under some tariffs' minimum purchase and are cancelled.
                payment = new SentPayment(Provider(kind), $"{ReferencePrefix}-{_run}-{Interlocked.Increment(ref _sequence)}", meters[_random.Next(meters.Count)], _random.Next(5, 201) * 100m);
                Payments.Enqueue(payment);
            }
        }

        return PayAsync(kind, payment, duplicate);
    }

    private static string Provider(RequestKind kind) => kind switch
    {
        RequestKind.Vodacom => "vodacom-tz",
        RequestKind.Airtel => "airtel-tz",
        _ => "api",
    };

    private async Task PayAsync(RequestKind kind, SentPayment payment, bool duplicate)
    {
        var firstAnswer = payment.AnsweredId;
        var until = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 1; DateTime.UtcNow < until; attempt++)
        {
            var answer = await TryAsync(kind, payment);
            if (answer is not { } known)
            {
                // Unknown outcome: the provider sends the same payment again, backing off (1, 2, 4, 8 s, with jitter) as providers do.
                Unknown.AddOrUpdate(kind, 1, (_, n) => n + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(8000, 1000 * Math.Pow(2, Math.Min(attempt, 4) - 1)) * (0.75 + Random.Shared.NextDouble() / 2)));
                continue;
            }

            Answered.AddOrUpdate(kind, 1, (_, n) => n + 1);
            lock (payment)
            {
                payment.Accepted |= known.Accepted;
                payment.Refusal = known.Accepted ? null : known.Refusal;
                payment.AnsweredId ??= known.Id;
            }

            if (duplicate)
            {
                Interlocked.Increment(ref Duplicates);
                if (firstAnswer is not null && known.Id is not null && known.Id != firstAnswer)
                {
                    DuplicateMismatches.Enqueue($"{payment.Provider} {payment.Reference}: first answered {firstAnswer}, then {known.Id}");
                }
            }

            return;
        }

        payment.Refusal ??= $"no answer within {GiveUpAfter.TotalMinutes:0} minutes";
    }

    /// <summary>One send; null when the outcome is unknown (connection error, timeout, 5xx).</summary>
    private async Task<(bool Accepted, long? Id, string? Refusal)?> TryAsync(RequestKind kind, SentPayment payment)
    {
        await _inFlight.WaitAsync();
        try
        {
            using var response = await _http.SendAsync(Request(kind, payment));
            var body = await response.Content.ReadAsStringAsync();
            return (int)response.StatusCode >= 500 ? null : Read(kind, response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private HttpRequestMessage Request(RequestKind kind, SentPayment payment)
    {
        var amount = payment.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        switch (kind)
        {
            case RequestKind.Vodacom:
                var timestamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                var hashed = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(spId + spPassword + timestamp)));
                var vodacom = $"""
                    <mpesaBroker xmlns="http://infowise.co.tz/broker/" version="2.0"><request>
                    <serviceProvider><spId>{spId}</spId><spPassword>{hashed}</spPassword><timestamp>{timestamp}</timestamp></serviceProvider>
                    <transaction><amount>{amount}</amount><commandID>Pay Bill</commandID><initiator>255757966347</initiator><conversationID>{payment.Reference}</conversationID>
                    <originatorConversationID>o-{payment.Reference}</originatorConversationID><recipient>{spId}</recipient><mpesaReceipt>R{payment.Reference}</mpesaReceipt>
                    <transactionDate>2026-01-01 10:00:00</transactionDate><accountReference>{payment.Meter}</accountReference><transactionID>{payment.Reference}</transactionID></transaction>
                    </request></mpesaBroker>
                    """;
                return Xml("/plugins/vodacom-tz/transactions", vodacom);
            case RequestKind.Airtel:
                var airtel = $"<COMMAND><APIUser>{airtelUser}</APIUser><APIPassword>{airtelPassword}</APIPassword><INTERFACEID>MPM</INTERFACEID><BusinessNumber>123456</BusinessNumber>" +
                    $"<TransID>{payment.Reference}</TransID><Amount>{amount}</Amount><ReferenceField>{payment.Meter}</ReferenceField><Msisdn>784000111</Msisdn><TRID>TR-{payment.Reference}</TRID></COMMAND>";
                return Xml("/plugins/airtel-tz/transactions", airtel);
            default:
                var rest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments")
                {
                    Content = JsonContent.Create(new { reference = payment.Reference, meterSerial = payment.Meter, amount = payment.Amount, payerPhone = "+255713000111" }),
                };
                rest.Headers.Add("X-Api-Key", apiKey);
                return rest;
        }
    }

    private static HttpRequestMessage Xml(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };

    private static (bool Accepted, long? Id, string? Refusal) Read(RequestKind kind, HttpStatusCode status, string body)
    {
        switch (kind)
        {
            case RequestKind.Vodacom:
                var code = Field(body, "responseCode");
                return (status == HttpStatusCode.OK && code == "0", null, $"HTTP {(int)status} responseCode {code}: {Field(body, "responseDesc")}");
            case RequestKind.Airtel:
                var accepted = status == HttpStatusCode.OK && Field(body, "TXNSTATUS") == "200";
                return (accepted, accepted ? long.Parse(Field(body, "TXNID")!, CultureInfo.InvariantCulture) : null, $"HTTP {(int)status} {Field(body, "TXNSTATUS")}: {Field(body, "MESSAGE")}");
            default:
                if (status != HttpStatusCode.Accepted)
                {
                    return (false, null, $"HTTP {(int)status}: {body}");
                }

                return (true, JsonSerializer.Deserialize<JsonElement>(body).GetProperty("transactionId").GetInt64(), null);
        }
    }

    private static string? Field(string xml, string localName)
    {
        try
        {
            return XDocument.Parse(xml).Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private async Task ReadDashboardAsync()
    {
        string path;
        lock (_random)
        {
            path = _random.Next(3) switch
            {
                0 => "/api/v1/dashboards/clusters",
                1 => "/api/v1/transactions?pageSize=20",
                _ => $"/api/v1/transactions?provider=vodacom-tz&status=confirmed&pageSize=10",
            };
        }

        await _inFlight.WaitAsync();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", apiKey);
            using var response = await _http.SendAsync(request);
            await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
            }

            Answered.AddOrUpdate(RequestKind.Dashboard, 1, (_, n) => n + 1);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // A read during a fault: nothing to retry, only to count.
            Unknown.AddOrUpdate(RequestKind.Dashboard, 1, (_, n) => n + 1);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
