using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MPM.Plugins.OpenMeteo;
using Xunit;

namespace MPM.Plugins.OpenMeteo.Tests;

/// <summary>The client against a fake Open-Meteo server on loopback (real HTTP), its base URL a plugin setting.</summary>
public sealed class OpenMeteoClientTests : IAsyncLifetime
{
    private const string Answer = """
        {"latitude":-1.33,"longitude":31.81,"daily_units":{"sunshine_duration":"s"},
         "daily":{"time":["2026-03-15","2026-03-16"],
                  "temperature_2m_max":[27.4,26.1],"temperature_2m_min":[17.0,16.5],
                  "precipitation_sum":[0.0,12.3],"cloud_cover_mean":[35,88],"sunshine_duration":[34560.0,9000.0]}}
        """;

    private readonly List<string> _requests = [];
    private WebApplication _server = null!;
    private TimeSpan _delay = TimeSpan.Zero;

    private string BaseUrl => _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/v1/forecast", async (HttpContext context) =>
        {
            lock (_requests)
            {
                _requests.Add(context.Request.QueryString.Value ?? "");
            }

            await Task.Delay(_delay);
            return Results.Text(Answer, "application/json");
        });
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OpenMeteoOptions Options(string? baseUrl = null, string timeout = "2", string cache = "60") => OpenMeteoOptions.From(new Dictionary<string, string?>
    {
        [OpenMeteoOptions.BaseUrlKey] = baseUrl ?? BaseUrl,
        [OpenMeteoOptions.TimeoutKey] = timeout,
        [OpenMeteoOptions.CacheKey] = cache,
    });

    [Fact]
    public async Task A_daily_forecast_is_read_with_sunshine_in_hours()
    {
        var client = new OpenMeteoClient(new HttpClient(), new FakeTimeProvider());

        var days = await client.GetDailyAsync(Options(), -1.3312, 31.8149, 7, CancellationToken.None);

        Assert.Equal(2, days.Count);
        Assert.Equal(new DateOnly(2026, 3, 16), days[1].Date);
        Assert.Equal(27.4m, days[0].TemperatureMaxC);
        Assert.Equal(16.5m, days[1].TemperatureMinC);
        Assert.Equal(12.3m, days[1].PrecipitationMm);
        Assert.Equal(88m, days[1].CloudCoverPercent);
        Assert.Equal(9.6m, days[0].SunshineHours);
        Assert.Equal(2.5m, days[1].SunshineHours);
        var query = Assert.Single(_requests);
        Assert.Contains("latitude=-1.33&longitude=31.81", query);
        Assert.Contains("sunshine_duration", query);
        Assert.Contains("cloud_cover_mean", query);
        Assert.Contains("forecast_days=7", query);
    }

    [Fact]
    public async Task A_forecast_is_asked_for_once_per_location_while_it_is_fresh()
    {
        var clock = new FakeTimeProvider();
        var client = new OpenMeteoClient(new HttpClient(), clock);

        await client.GetDailyAsync(Options(cache: "60"), -1.33, 31.81, 7, CancellationToken.None);
        await client.GetDailyAsync(Options(cache: "60"), -1.3301, 31.8102, 7, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(59));
        await client.GetDailyAsync(Options(cache: "60"), -1.33, 31.81, 7, CancellationToken.None);
        Assert.Single(_requests);

        clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetDailyAsync(Options(cache: "60"), -1.33, 31.81, 7, CancellationToken.None);
        await client.GetDailyAsync(Options(cache: "60"), -2.5, 32.9, 7, CancellationToken.None);
        Assert.Equal(3, _requests.Count);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_given_up_on_quickly()
    {
        _delay = TimeSpan.FromSeconds(10);
        var client = new OpenMeteoClient(new HttpClient(), new FakeTimeProvider());
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.GetDailyAsync(Options(timeout: "0.5"), -1.33, 31.81, 7, CancellationToken.None));

        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 0.4, 3);
        Assert.Contains("0.5 s", error.Message);
    }

    [Fact]
    public async Task Without_a_reachable_server_the_forecast_fails_rather_than_hangs()
    {
        // A loopback port nobody listens on: the connection is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new OpenMeteoClient(new HttpClient(), new FakeTimeProvider());
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetDailyAsync(Options(baseUrl: $"http://127.0.0.1:{port}"), -1.33, 31.81, 7, CancellationToken.None));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Bad_settings_take_their_defaults()
    {
        var options = OpenMeteoOptions.From(new Dictionary<string, string?> { [OpenMeteoOptions.BaseUrlKey] = "not a url", [OpenMeteoOptions.TimeoutKey] = "-4", [OpenMeteoOptions.CacheKey] = "x" });

        Assert.Equal(new Uri(OpenMeteoOptions.DefaultBaseUrl), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(60), options.CacheFor);
    }
}
