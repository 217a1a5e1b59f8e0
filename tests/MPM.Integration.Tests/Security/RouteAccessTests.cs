using System.Net;
using MPM.Integration.Tests.Support;
using MPM.Testing;
using Xunit;

namespace MPM.Integration.Tests.Security;

/// <summary>Who may use a route.</summary>
public enum Access
{
    /// <summary>Anyone: the login page, health, the OpenAPI document.</summary>
    Open,

    /// <summary>Any signed-in operator (viewer, manager, admin).</summary>
    SignedIn,

    /// <summary>Managers and admins; viewers get 403 or the access-denied page.</summary>
    Manager,

    /// <summary>Admins only: users, plugins, settings, secrets.</summary>
    Admin,

    /// <summary>REST: a valid X-Api-Key and nothing else (a login cookie is not enough).</summary>
    ApiKey,

    /// <summary>A provider, gateway, app or webhook endpoint with its own authentication: a bare anonymous call is refused.</summary>
    OwnAuth,

    /// <summary>A webhook's reachability check (Trello sends HEAD/GET before it registers a webhook).</summary>
    WebhookCheck,
}

/// <summary>
/// Enumerates every route of the host with every shipped plugin (from the endpoint data source: pages, every POST
/// handler of a page, REST, plugin endpoints) and checks each against the access table below for anonymous, viewer,
/// manager and admin, and API key or none. A route or page handler missing from the table fails the test.
/// </summary>
public sealed class RouteAccessTests(AllPluginsHost host) : IClassFixture<AllPluginsHost>
{
    /// <summary>The access rule of every route: "METHOD pattern" for endpoints, "GET page" and "POST page?handler=Name" for pages.</summary>
    internal static readonly Dictionary<string, Access> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        // Anonymous: login, access denied, error page, health, the OpenAPI document.
        ["GET /Account/Login"] = Access.Open,
        ["POST /Account/Login"] = Access.Open,
        ["GET /Account/AccessDenied"] = Access.Open,
        ["GET /Error"] = Access.Open,
        ["* /health/live"] = Access.Open,
        ["* /health/ready"] = Access.Open,
        ["GET /api/v1/openapi.json"] = Access.Open,
        // Any signed-in operator: reading pages, logging out.
        ["GET /"] = Access.SignedIn,
        ["GET /Index"] = Access.SignedIn,
        ["GET /Account/Logout"] = Access.SignedIn,
        ["POST /Account/Logout"] = Access.SignedIn,
        ["GET /AssetTypes"] = Access.SignedIn,
        ["GET /AssetTypes/Index"] = Access.SignedIn,
        ["GET /CustomerGroups"] = Access.SignedIn,
        ["GET /CustomerGroups/Index"] = Access.SignedIn,
        ["GET /Customers"] = Access.SignedIn,
        ["GET /Customers/Index"] = Access.SignedIn,
        ["GET /Customers/{id:long}"] = Access.SignedIn,
        ["GET /Dashboards/Cluster/{id:long}"] = Access.SignedIn,
        ["GET /Dashboards/MiniGrid/{id:long}"] = Access.SignedIn,
        ["GET /Maintenance"] = Access.SignedIn,
        ["GET /Maintenance/Index"] = Access.SignedIn,
        ["GET /Maintenance/Contractors"] = Access.SignedIn,
        ["GET /Manufacturers"] = Access.SignedIn,
        ["GET /Manufacturers/Index"] = Access.SignedIn,
        ["GET /MeterTypes"] = Access.SignedIn,
        ["GET /MeterTypes/Index"] = Access.SignedIn,
        ["GET /Meters"] = Access.SignedIn,
        ["GET /Meters/Index"] = Access.SignedIn,
        ["GET /Meters/{id:long}"] = Access.SignedIn,
        ["GET /Places/Clusters"] = Access.SignedIn,
        ["GET /Places/Clusters/Index"] = Access.SignedIn,
        ["GET /Places/MiniGrids"] = Access.SignedIn,
        ["GET /Places/MiniGrids/Index"] = Access.SignedIn,
        ["GET /Places/Villages"] = Access.SignedIn,
        ["GET /Places/Villages/Index"] = Access.SignedIn,
        ["GET /Reports"] = Access.SignedIn,
        ["GET /Reports/Index"] = Access.SignedIn,
        ["GET /Settings"] = Access.SignedIn,
        ["GET /Sms"] = Access.SignedIn,
        ["GET /Sms/Index"] = Access.SignedIn,
        ["GET /Sms/Templates"] = Access.SignedIn,
        ["GET /Targets"] = Access.SignedIn,
        ["GET /Targets/Index"] = Access.SignedIn,
        ["GET /Targets/New"] = Access.SignedIn,
        ["GET /Tariffs"] = Access.SignedIn,
        ["GET /Tariffs/Index"] = Access.SignedIn,
        ["GET /Tickets"] = Access.SignedIn,
        ["GET /Tickets/Index"] = Access.SignedIn,
        ["GET /Tickets/Categories"] = Access.SignedIn,
        ["GET /Tickets/Users"] = Access.SignedIn,
        ["GET /Tickets/{id:long}"] = Access.SignedIn,
        ["GET /Transactions"] = Access.SignedIn,
        ["GET /Transactions/Index"] = Access.SignedIn,
        ["GET /Transactions/{id:long}"] = Access.SignedIn,
        ["GET /plugins/hello"] = Access.SignedIn,
        ["GET /plugins/hello/greeting"] = Access.SignedIn,
        ["GET /plugins/openpaygo"] = Access.SignedIn,
        // Managers and admins: editing the catalog, customers, meters, targets, reports, SMS, tokens.
        ["GET /AssetTypes/Edit/{id:long?}"] = Access.Manager,
        ["POST /AssetTypes/Edit/{id:long?}"] = Access.Manager,
        ["GET /CustomerGroups/Edit/{kind}/{id:long?}"] = Access.Manager,
        ["POST /CustomerGroups/Edit/{kind}/{id:long?}"] = Access.Manager,
        ["POST /Customers/{id:long}?handler=Address"] = Access.Manager,
        ["POST /Customers/{id:long}?handler=Customer"] = Access.Manager,
        ["POST /Customers/{id:long}?handler=Primary"] = Access.Manager,
        ["POST /Customers/{id:long}?handler=Sale"] = Access.Manager,
        ["GET /Manufacturers/Edit/{id:long?}"] = Access.Manager,
        ["POST /Manufacturers/Edit/{id:long?}"] = Access.Manager,
        ["GET /Maintenance/New"] = Access.Manager,
        ["POST /Maintenance/New"] = Access.Manager,
        ["POST /Maintenance/Contractors"] = Access.Manager,
        ["GET /MeterTypes/Edit/{id:long?}"] = Access.Manager,
        ["POST /MeterTypes/Edit/{id:long?}"] = Access.Manager,
        ["POST /Meters/{id:long}?handler=Cash"] = Access.Manager,
        ["POST /Meters/{id:long}?handler=InUse"] = Access.Manager,
        ["POST /Meters/{id:long}?handler=Tariff"] = Access.Manager,
        ["GET /Places/Clusters/Edit/{id:long?}"] = Access.Manager,
        ["POST /Places/Clusters/Edit/{id:long?}"] = Access.Manager,
        ["GET /Places/MiniGrids/Edit/{id:long?}"] = Access.Manager,
        ["POST /Places/MiniGrids/Edit/{id:long?}"] = Access.Manager,
        ["GET /Places/Villages/Edit/{id:long?}"] = Access.Manager,
        ["POST /Places/Villages/Edit/{id:long?}"] = Access.Manager,
        ["POST /Reports?handler=Generate"] = Access.Manager,
        ["POST /Reports/Index?handler=Generate"] = Access.Manager,
        ["POST /Sms"] = Access.Manager,
        ["POST /Sms/Index"] = Access.Manager,
        ["POST /Sms/Templates"] = Access.Manager,
        ["POST /Targets/New"] = Access.Manager,
        ["GET /Tariffs/Edit/{id:long?}"] = Access.Manager,
        ["POST /Tariffs/Edit/{id:long?}"] = Access.Manager,
        ["GET /Tickets/New"] = Access.Manager,
        ["POST /Tickets/New"] = Access.Manager,
        ["POST /Tickets/Categories"] = Access.Manager,
        ["POST /Tickets/Users"] = Access.Manager,
        ["POST /Tickets/{id:long}?handler=Assign"] = Access.Manager,
        ["POST /Tickets/{id:long}?handler=Close"] = Access.Manager,
        ["POST /Tickets/{id:long}?handler=Comment"] = Access.Manager,
        ["POST /Tickets/{id:long}?handler=Reopen"] = Access.Manager,
        ["POST /plugins/openpaygo?handler=Issue"] = Access.Manager,
        // Admins only: users, plugins and their settings, operator settings, vending keys, the SMS gateway.
        ["GET /ApiKeys"] = Access.Admin,
        ["GET /ApiKeys/Index"] = Access.Admin,
        ["POST /ApiKeys?handler=Create"] = Access.Admin,
        ["POST /ApiKeys/Index?handler=Create"] = Access.Admin,
        ["POST /ApiKeys?handler=Revoke"] = Access.Admin,
        ["POST /ApiKeys/Index?handler=Revoke"] = Access.Admin,
        ["GET /Audit"] = Access.Admin,
        ["GET /Audit/Index"] = Access.Admin,
        ["GET /Users"] = Access.Admin,
        ["GET /Users/Index"] = Access.Admin,
        ["POST /Users?handler=Add"] = Access.Admin,
        ["POST /Users/Index?handler=Add"] = Access.Admin,
        ["POST /Users?handler=Update"] = Access.Admin,
        ["POST /Users/Index?handler=Update"] = Access.Admin,
        ["GET /Plugins"] = Access.Admin,
        ["GET /Plugins/Index"] = Access.Admin,
        ["GET /Plugins/Settings/{id}"] = Access.Admin,
        ["POST /Plugins/Settings/{id}"] = Access.Admin,
        ["POST /Settings"] = Access.Admin,
        ["GET /Manufacturers/Settings/{id:long}"] = Access.Admin,
        ["POST /Manufacturers/Settings/{id:long}"] = Access.Admin,
        ["POST /Sms?handler=Gateway"] = Access.Admin,
        ["POST /Sms/Index?handler=Gateway"] = Access.Admin,
        ["POST /Tickets?handler=Provider"] = Access.Admin,
        ["POST /Tickets/Index?handler=Provider"] = Access.Admin,
        ["GET /plugins/sts/meters/{serial}"] = Access.Admin,
        ["POST /plugins/sts/meters/{serial}"] = Access.Admin,
        ["POST /plugins/openpaygo?handler=Register"] = Access.Admin,
        // REST: a valid X-Api-Key.
        ["* /api/v1/{*path}"] = Access.ApiKey,
        ["GET /api/v1/clusters"] = Access.ApiKey,
        ["POST /api/v1/clusters"] = Access.ApiKey,
        ["GET /api/v1/connection-groups"] = Access.ApiKey,
        ["POST /api/v1/connection-groups"] = Access.ApiKey,
        ["GET /api/v1/connection-types"] = Access.ApiKey,
        ["POST /api/v1/connection-types"] = Access.ApiKey,
        ["GET /api/v1/customers"] = Access.ApiKey,
        ["GET /api/v1/dashboards/clusters"] = Access.ApiKey,
        ["GET /api/v1/dashboards/clusters/{id:long}"] = Access.ApiKey,
        ["GET /api/v1/dashboards/mini-grids/{id:long}"] = Access.ApiKey,
        ["GET /api/v1/manufacturers"] = Access.ApiKey,
        ["POST /api/v1/manufacturers"] = Access.ApiKey,
        ["GET /api/v1/meters"] = Access.ApiKey,
        ["GET /api/v1/meters/{serial}"] = Access.ApiKey,
        ["GET /api/v1/mini-grids"] = Access.ApiKey,
        ["POST /api/v1/mini-grids"] = Access.ApiKey,
        ["GET /api/v1/plugins"] = Access.ApiKey,
        ["GET /api/v1/targets"] = Access.ApiKey,
        ["POST /api/v1/targets"] = Access.ApiKey,
        ["GET /api/v1/tariffs"] = Access.ApiKey,
        ["POST /api/v1/tariffs"] = Access.ApiKey,
        ["GET /api/v1/transactions"] = Access.ApiKey,
        ["GET /api/v1/transactions/{id:long}"] = Access.ApiKey,
        ["GET /api/v1/villages"] = Access.ApiKey,
        ["POST /api/v1/villages"] = Access.ApiKey,
        ["POST /api/v1/payments"] = Access.ApiKey,
        ["POST /api/v1/registrations"] = Access.ApiKey,
        // Providers, SMS gateways, the field app and webhooks: their own authentication (signature, credentials, app token).
        ["POST /plugins/vodacom-tz/transactions"] = Access.OwnAuth,
        ["POST /plugins/airtel-tz/transactions"] = Access.OwnAuth,
        ["POST /plugins/africastalking/delivery-reports"] = Access.OwnAuth,
        ["POST /plugins/africastalking/incoming"] = Access.OwnAuth,
        ["POST /plugins/sms-http/incoming"] = Access.OwnAuth,
        ["POST /plugins/trello/webhook"] = Access.OwnAuth,
        // Prometheus scrapers: an API key, the configured bearer token or an allow-listed address.
        ["GET /metrics"] = Access.OwnAuth,
        ["POST /plugins/registration-app/api/auth/login"] = Access.OwnAuth,
        ["POST /plugins/registration-app/api/customer-registration-app"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/cities"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/connection-groups"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/connection-types"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/manufacturers"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/meter-types"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/people"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/sub-connection-types"] = Access.OwnAuth,
        ["GET /plugins/registration-app/api/customer-registration-app/tariffs"] = Access.OwnAuth,
        // Trello checks that its webhook URL answers before it registers a webhook.
        ["GET /plugins/trello/webhook"] = Access.WebhookCheck,
        ["HEAD /plugins/trello/webhook"] = Access.WebhookCheck,
    };

    private sealed record RouteCase(string Key, string Method, string Url, Access Access, bool IsPage);

    private async Task<List<RouteCase>> RoutesAsync()
    {
        var cases = new List<RouteCase>();
        var unknown = new List<string>();
        foreach (var route in await HostRoutes.ListAsync(host.Factory.Services))
        {
            if (Table.TryGetValue(route.Key, out var access))
            {
                cases.Add(new RouteCase(route.Key, route.Method, route.Url, access, route.IsPage));
            }
            else
            {
                unknown.Add($"route {route.Key} has no access rule");
            }
        }

        Assert.True(unknown.Count == 0, "routes with no access rule (add them to RouteAccessTests.Table):\n" + string.Join("\n", unknown.Distinct().Order()));
        return cases;
    }

    [Fact]
    public async Task EveryRouteHasAnAccessRule()
    {
        var routes = await RoutesAsync();

        // The shell, REST and plugin endpoints are all among them, so the enumeration cannot silently shrink.
        Assert.Contains(routes, r => r.Key == "GET /Customers");
        Assert.Contains(routes, r => r.Key == "POST /api/v1/payments");
        Assert.Contains(routes, r => r.Key.StartsWith("POST /plugins/vodacom-tz/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Key.StartsWith("GET /plugins/hello/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryRouteRefusesWhoItMustRefuse()
    {
        var routes = await RoutesAsync();
        var anonymous = host.Factory.CreateBrowserLikeClient();
        var viewer = await host.LoginAsync(HostFixture.ViewerEmail);
        var manager = await host.LoginAsync(HostFixture.ManagerEmail);
        var admin = await host.LoginAsync();
        var tokens = new Dictionary<HttpClient, string>();
        foreach (var client in new[] { anonymous, viewer, manager, admin })
        {
            tokens[client] = MpmWebFactory.AntiforgeryToken(await client.GetStringAsync(client == anonymous ? "/Account/Login" : "/"));
        }

        var apiKey = await host.Factory.AddApiKeyAsync("route-access");
        var failures = new List<string>();

        // The logout handler signs the client out: it is checked last, on its own.
        foreach (var route in routes.Where(r => r.Key != "POST /Account/Logout"))
        {
            switch (route.Access)
            {
                case Access.Open:
                    Expect(route, "anonymous", await SendAsync(anonymous, route), s => s != 401 && s != 403, "not 401/403");
                    break;
                case Access.SignedIn:
                case Access.Manager:
                case Access.Admin:
                    await CheckOperatorRouteAsync(route);
                    break;
                case Access.ApiKey:
                    Expect(route, "no key", await SendAsync(anonymous, route), s => s == 401, "401");
                    Expect(route, "an admin's cookie and no key", await SendAsync(admin, route), s => s == 401, "401");
                    Expect(route, "a wrong key", await SendAsync(anonymous, route, key: "mpm_not-a-key"), s => s == 401, "401");
                    Expect(route, "a valid key", await SendAsync(anonymous, route, key: apiKey), s => s is not (401 or 403) && s < 500, "neither 401/403 nor 5xx");
                    break;
                case Access.OwnAuth:
                    Expect(route, "anonymous without credentials", await SendAsync(anonymous, route), s => s is >= 400 and < 500, "4xx");
                    Expect(route, "an admin's cookie without credentials", await SendAsync(admin, route), s => s is >= 400 and < 500, "4xx");
                    break;
                case Access.WebhookCheck:
                    Expect(route, "anonymous", await SendAsync(anonymous, route), s => s == 200, "200");
                    break;
            }
        }

        var logout = routes.Single(r => r.Key == "POST /Account/Logout");
        Expect(logout, "a viewer without a token", await SendAsync(viewer, logout), s => s == 400, "400 (antiforgery)");
        var signedOut = await SendAsync(viewer, logout, tokens[viewer]);
        Expect(logout, "a viewer", signedOut, _ => signedOut.StatusCode == HttpStatusCode.Redirect && LocationPath(signedOut) == "/Account/Login", "302 to the login");
        var afterwards = await viewer.GetAsync("/Customers");
        Expect(logout, "the viewer after logging out", afterwards, _ => LocationPath(afterwards) == "/Account/Login", "the login page");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        async Task CheckOperatorRouteAsync(RouteCase route)
        {
            if (route.Method == "GET")
            {
                var anonymousAnswer = await SendAsync(anonymous, route);
                if (anonymousAnswer.StatusCode != HttpStatusCode.Redirect || LocationPath(anonymousAnswer) != "/Account/Login")
                {
                    failures.Add($"{route.Key}: anonymous got {(int)anonymousAnswer.StatusCode} {anonymousAnswer.Headers.Location}, expected the login page");
                }

                foreach (var (who, client) in new[] { ("viewer", viewer), ("manager", manager), ("admin", admin) })
                {
                    var allowed = Allowed(route.Access, who);
                    var response = await SendAsync(client, route);
                    Expect(route, who, response, s => allowed ? !Denied(response) && s < 500 : Denied(response), allowed ? "allowed (no 401/403/login/access denied, no 5xx)" : "denied");
                }

                return;
            }

            // A change: anonymous is refused, an operator without a valid antiforgery token is refused with 400, and with
            // a token only the roles the rule allows get past authorisation.
            var anonymousPost = await SendAsync(anonymous, route, tokens[anonymous]);
            Expect(route, "anonymous", anonymousPost, _ => Denied(anonymousPost), "refused (401/403/login)");
            Expect(route, "an admin without an antiforgery token", await SendAsync(admin, route), s => s == 400, "400");
            foreach (var (who, client) in new[] { ("viewer", viewer), ("manager", manager), ("admin", admin) })
            {
                var allowed = Allowed(route.Access, who);
                var response = await SendAsync(client, route, tokens[client]);
                Expect(route, who, response, s => allowed ? !Denied(response) && s < 500 : Denied(response), allowed ? "allowed (no 401/403/login/access denied, no 5xx)" : "denied");
            }
        }

        void Expect(RouteCase route, string who, HttpResponseMessage response, Func<int, bool> ok, string expected)
        {
            var status = (int)response.StatusCode;
            if (!ok(status))
            {
                failures.Add($"{route.Key} ({route.Url}): {who} got {status} {response.Headers.Location}, expected {expected}");
            }
        }
    }

    private static bool Allowed(Access access, string who) => access switch
    {
        Access.SignedIn => true,
        Access.Manager => who != "viewer",
        Access.Admin => who == "admin",
        _ => false,
    };

    private static bool Denied(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
        || response.StatusCode == HttpStatusCode.Redirect && LocationPath(response) is "/Account/Login" or "/Account/AccessDenied";

    private static string? LocationPath(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, RouteCase route, string? antiforgery = null, string? key = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            if (route.IsPage)
            {
                var fields = new Dictionary<string, string>();
                if (antiforgery is not null)
                {
                    fields["__RequestVerificationToken"] = antiforgery;
                }

                request.Content = new FormUrlEncodedContent(fields);
            }
            else
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
        }

        return await client.SendAsync(request);
    }
}

/// <summary>The host with every shipped plugin enabled (the repository's plugins.json).</summary>
public sealed class AllPluginsHost : HostFixture
{
    protected override string? PluginsFile => Path.Combine(Repo.Root, "plugins.json");
}
