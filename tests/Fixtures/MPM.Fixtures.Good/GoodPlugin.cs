using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Weather;

namespace MPM.Fixtures.Good;

public sealed class GoodPlugin : IPlugin
{
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
