using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;

namespace MPM.Plugins.RegistrationApp;

/// <summary>
/// The routes the Customer Registration App calls, under this plugin's prefix: its server URL is
/// <c>https://host/plugins/registration-app</c> and it appends <c>/api/…</c>. Every route but the login needs the
/// bearer token the login gave; the host's cookie and API-key schemes play no part.
/// </summary>
public sealed class RegistrationAppPlugin : IPlugin
{
    public const string Id = "registration-app";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<AppApi>();
        plugin.MapEndpoints(routes =>
        {
            var api = routes.MapGroup("api");
            api.MapPost("auth/login", (HttpContext http, AppApi app) => app.LoginAsync(http));
            var lists = api.MapGroup("customer-registration-app");
            lists.MapGet("manufacturers", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.Manufacturers));
            lists.MapGet("meter-types", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.MeterTypes));
            lists.MapGet("tariffs", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.Tariffs));
            lists.MapGet("cities", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.Cities));
            lists.MapGet("connection-groups", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.ConnectionGroups));
            lists.MapGet("connection-types", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.ConnectionTypes));
            lists.MapGet("sub-connection-types", (HttpContext http, AppApi app) => app.ListAsync(http, AppLists.SubConnectionTypes));
            lists.MapGet("people", (HttpContext http, AppApi app) => app.PeopleAsync(http));
            api.MapPost("customer-registration-app", (HttpContext http, AppApi app) => app.RegisterAsync(http));
            api.AllowAnonymous();
        });
    }
}
