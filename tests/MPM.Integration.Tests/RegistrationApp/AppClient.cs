using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace MPM.Integration.Tests.RegistrationApp;

/// <summary>
/// Replays the Customer Registration App's requests as it makes them (server URL without its trailing slash plus
/// <c>/api/</c>, JSON content type and accept header, a bearer token after login) and reads the answers as strictly
/// as it does: lists must be <c>{"data":[…]}</c> with 32-bit integer ids, <c>online</c> 0 or 1, integer prices and
/// unique names, or the app drops them.
/// </summary>
public sealed class AppClient(string serverUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(serverUrl.EndsWith('/') ? serverUrl[..^1] + "/api/" : serverUrl + "/api/"), Timeout = TimeSpan.FromSeconds(30) };

    public string? Token { get; set; }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        request.Content = new StringContent(json ?? "", Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body));

    public async Task LoginAsync(string email, string password)
    {
        var (status, body) = await PostAsync("auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, status);
        Token = Assert.IsType<string>(body.GetProperty("access_token").GetString());
    }

    /// <summary>One of the seven lists, checked field by field the way the app's models parse it.</summary>
    public async Task<List<Dictionary<string, JsonElement>>> ListAsync(string name, params (string Field, JsonValueKind Kind)[] fields)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"customer-registration-app/{name}");
        Assert.Equal(HttpStatusCode.OK, status);
        var data = body.GetProperty("data");
        Assert.Equal(JsonValueKind.Array, data.ValueKind);
        var items = data.EnumerateArray().Select(item => fields.ToDictionary(f => f.Field, f =>
        {
            var value = item.GetProperty(f.Field);
            Assert.True(value.ValueKind == f.Kind, $"{name}: {f.Field} is {value.ValueKind}, the app wants {f.Kind}");
            if (f.Kind == JsonValueKind.Number)
            {
                Assert.True(value.TryGetInt32(out _), $"{name}: {f.Field} {value.GetRawText()} is not a 32-bit integer");
            }

            return value;
        })).ToList();
        if (fields.Any(f => f.Field == "name"))
        {
            var names = items.Select(i => i["name"].GetString()).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        }

        return items;
    }

    public void Dispose() => _http.Dispose();
}
