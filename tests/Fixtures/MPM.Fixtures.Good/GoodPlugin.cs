using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Weather;

namespace MPM.Fixtures.Good;

public sealed class GoodPlugin : IPlugin
{
    public const long LargeLimit = 3 * 1024 * 1024;
    public const long SmallLimit = 1024;

    /// <summary>Reads the whole body and says how many bytes it had.</summary>
    private static async Task<IResult> CountBodyAsync(HttpRequest request)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
        }

        return Results.Ok(new { bytes = total });
    }

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddKeyedSingleton<IWeatherProvider, FixedWeather>(plugin.Manifest.Id);
        plugin.AddSetting(new PluginSetting("endpoint", "Endpoint URL", Required: true, DefaultValue: "http://localhost"));
        plugin.AddSetting(new PluginSetting("apiKey", "API key", Secret: true));
        plugin.AddSetting(new PluginSetting("retries", "Retries", PluginSettingType.Number));
        plugin.AddSetting(new PluginSetting("vendingKey", "Vending key", Secret: true, Scope: PluginSettingScope.Manufacturer));
        var fromFile = plugin.Configuration["greeting"] ?? "none";
        plugin.MapEndpoints(e =>
        {
            e.MapGet("ping", () => Results.Ok(new { pong = true, fromFile }));
            e.MapPost("hook", async (IPluginDatabase database) =>
            {
                await using DbConnection connection = await database.OpenConnectionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO plg_fixture_good.hits DEFAULT VALUES RETURNING id";
                return Results.Ok(new { id = await command.ExecuteScalarAsync() });
            }).AllowAnonymous();
            // Body limits of their own, over the host's default for plugin endpoints: larger and smaller.
            e.MapPost("upload-large", CountBodyAsync).AllowAnonymous().WithMetadata(new RequestSizeLimitAttribute(LargeLimit));
            e.MapPost("upload-small", CountBodyAsync).AllowAnonymous().WithMetadata(new RequestSizeLimitAttribute(SmallLimit));
        });
        plugin.AddJob<CountingJob>("* * * * *");
        plugin.AddCliVerb<EchoVerb>("fixture-echo", "Echoes its arguments", needsDatabase: false);
        plugin.AddSidebarItem(new SidebarItem("Good fixture", "/plugins/fixture-good", "bi-check"));
    }
}

public sealed class FixedWeather : IWeatherProvider
{
    public Task<IReadOnlyList<DailyForecast>> GetDailyForecastAsync(double latitude, double longitude, int days, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DailyForecast>>([new DailyForecast(new DateOnly(2026, 1, 1), 30m, 20m, 0m, 10m, 9m)]);
}

public sealed class CountingJob(IPluginDatabase database) : IScheduledJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO plg_fixture_good.hits DEFAULT VALUES";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class EchoVerb : ICliVerb
{
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        output.WriteLine(string.Join(" ", args));
        return Task.FromResult(0);
    }
}
