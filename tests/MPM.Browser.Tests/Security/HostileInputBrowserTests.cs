using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MPM.Testing;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Browser.Tests.Security;

/// <summary>The host with every shipped plugin and the <see cref="HostileWorld"/> (paid an hour ago, so on today's dashboards).</summary>
public sealed class HostileBrowserHost : BrowserHost
{
    public HostileWorld World { get; private set; } = null!;

    protected override string? PluginsFile => Path.Combine(RepoRoot(), "plugins.json");

    protected override async Task SeedAsync() => World = await HostileWorld.SeedAsync(Factory.Services, DateTimeOffset.UtcNow.AddHours(-1));

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MPM.Platform.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"MPM.Platform.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// Names, addresses, ticket texts and SMS written as markup show as text on every page an admin can open: no
/// JavaScript dialog opens, the content security policy blocks nothing, no injected element (an on* attribute, an img
/// with src=x, a script calling alert) is in the DOM; and the hostile texts are shown literally where they belong.
/// </summary>
public sealed class HostileInputBrowserTests(HostileBrowserHost host, ITestOutputHelper output) : BrowserTest(host, output), IClassFixture<HostileBrowserHost>
{
    /// <summary>Finds what markup in the data would have added to the page: inline handlers, img src=x, executable scripts calling alert.</summary>
    private const string InjectedScript = """
        () => {
            const found = [];
            for (const element of document.querySelectorAll("*")) {
                for (const attribute of element.attributes) {
                    if (attribute.name.toLowerCase().startsWith("on")) { found.push(element.outerHTML.slice(0, 200)); }
                }
            }
            for (const image of document.querySelectorAll("img")) {
                if (image.getAttribute("src") === "x") { found.push(image.outerHTML); }
            }
            for (const script of document.querySelectorAll("script")) {
                if (script.type !== "application/json" && script.textContent.includes("alert(")) { found.push(script.outerHTML.slice(0, 200)); }
            }
            return found;
        }
        """;

    private HostileWorld World => ((HostileBrowserHost)Host).World;

    /// <summary>Every GET page of the host (and plugin GET endpoint), with the seeded rows' ids for route parameters.</summary>
    private List<string> PageUrls()
    {
        var w = World;
        // Route parameters by route: the seeded row each page shows. A page with a parameter missing here fails the test.
        var samples = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["/Customers/{id:long}"] = $"/Customers/{w.Customer}",
            ["/Meters/{id:long}"] = $"/Meters/{w.Meter}",
            ["/Tickets/{id:long}"] = $"/Tickets/{w.Ticket}",
            ["/Transactions/{id:long}"] = $"/Transactions/{w.Transaction}",
            ["/Dashboards/Cluster/{id:long}"] = $"/Dashboards/Cluster/{w.Cluster}",
            ["/Dashboards/MiniGrid/{id:long}"] = $"/Dashboards/MiniGrid/{w.MiniGrid}",
            ["/Places/Clusters/Edit/{id:long?}"] = $"/Places/Clusters/Edit/{w.Cluster}",
            ["/Places/MiniGrids/Edit/{id:long?}"] = $"/Places/MiniGrids/Edit/{w.MiniGrid}",
            ["/Places/Villages/Edit/{id:long?}"] = $"/Places/Villages/Edit/{w.Village}",
            ["/Tariffs/Edit/{id:long?}"] = $"/Tariffs/Edit/{w.Tariff}",
            ["/Manufacturers/Edit/{id:long?}"] = $"/Manufacturers/Edit/{w.Manufacturer}",
            ["/Manufacturers/Settings/{id:long}"] = $"/Manufacturers/Settings/{w.Manufacturer}",
            ["/AssetTypes/Edit/{id:long?}"] = $"/AssetTypes/Edit/{w.AssetType}",
            ["/MeterTypes/Edit/{id:long?}"] = $"/MeterTypes/Edit/{w.MeterType}",
            ["/CustomerGroups/Edit/{kind}/{id:long?}"] = $"/CustomerGroups/Edit/ConnectionType/{w.ConnectionType}",
            ["/Plugins/Settings/{id}"] = "/Plugins/Settings/sts",
            ["/plugins/sts/meters/{serial}"] = $"/plugins/sts/meters/{HostileWorld.Serial}",
        };
        var urls = new List<string>();
        var missing = new List<string>();
        var endpoints = Host.Factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;
            var isPluginGet = pattern.StartsWith("/plugins/", StringComparison.Ordinal)
                && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { } methods && methods.Contains("GET");
            // Logging out would end the session the rest of the pages are visited in.
            if (!(isPage || isPluginGet) || pattern == "/Account/Logout")
            {
                continue;
            }

            if (!pattern.Contains('{', StringComparison.Ordinal))
            {
                urls.Add(pattern);
            }
            else if (samples.TryGetValue(pattern, out var url))
            {
                urls.Add(url);
            }
            else
            {
                missing.Add(pattern);
            }
        }

        Assert.True(missing.Count == 0, "routes with no seeded sample (add them to PageUrls):\n" + string.Join("\n", missing.Distinct().Order()));
        // The maintenance job is a ticket too, shown by the same page.
        urls.Add($"/Tickets/{w.Maintenance}");
        // What is typed in a search box or filter comes back on the page: markup there is text too.
        var typed = Uri.EscapeDataString(HostileWorld.CustomerName + HostileWorld.CustomerSurname);
        urls.AddRange(
        [
            $"/Customers?q={typed}", $"/Meters?q={typed}", $"/Transactions?customer={typed}&serial={typed}&provider={typed}&status={typed}",
            $"/Sms?q={typed}&status={typed}&Message={typed}&Find={typed}&To=Customers", $"/Tickets?Status={typed}", $"/Maintenance?Status={typed}",
            $"/Audit?Actor={typed}&Kind={typed}", $"/Dashboards/MiniGrid/{w.MiniGrid}?from={typed}", $"/Account/Login?ReturnUrl={typed}",
        ]);
        return urls.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task No_page_runs_or_inserts_the_markup_of_hostile_names()
    {
        var urls = PageUrls();
        Assert.Contains("/Customers", urls);
        Assert.Contains($"/Customers/{World.Customer}", urls);
        await InBrowserAsync(async page =>
        {
            var problems = new List<string>();
            var current = "";
            page.Dialog += (_, dialog) =>
            {
                problems.Add($"{current}: a {dialog.Type} dialog opened: {dialog.Message}");
                _ = dialog.DismissAsync();
            };
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    problems.Add($"{current}: {message.Text}");
                }
            };
            await LogInAsAdminAsync(page);
            foreach (var url in urls)
            {
                current = url;
                var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
                if (response is null || response.Status >= 500)
                {
                    problems.Add($"{url}: status {response?.Status}");
                }

                // Handlers attached after load (maps, charts) have run once the page's own scripts are done.
                await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
                foreach (var element in await page.EvaluateAsync<string[]>(InjectedScript))
                {
                    problems.Add($"{url}: injected {element}");
                }

                if (!url.StartsWith("/Account/Login", StringComparison.Ordinal) && new Uri(page.Url).AbsolutePath == "/Account/Login")
                {
                    problems.Add($"{url}: sent to the login page (the admin should reach every page)");
                }
            }

            Output.WriteLine($"{urls.Count} pages visited:\n{string.Join("\n", urls)}");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        });
    }

    [Theory]
    [InlineData("customers")]
    [InlineData("customer")]
    [InlineData("ticket")]
    [InlineData("maintenance")]
    [InlineData("sms")]
    [InlineData("templates")]
    [InlineData("places")]
    [InlineData("audit")]
    [InlineData("targets")]
    public async Task Hostile_texts_are_shown_literally(string where)
    {
        var w = World;
        var (url, texts) = where switch
        {
            "customers" => ("/Customers", new[] { HostileWorld.CustomerName, HostileWorld.CustomerSurname, HostileWorld.VillageName }),
            "customer" => ($"/Customers/{w.Customer}", [HostileWorld.CustomerName, HostileWorld.CustomerSurname, HostileWorld.Street, HostileWorld.VillageName, HostileWorld.TicketTitle]),
            "ticket" => ($"/Tickets/{w.Ticket}", [HostileWorld.TicketTitle, HostileWorld.TicketDescription, HostileWorld.CommentText, HostileWorld.CategoryName, HostileWorld.TicketUserName, HostileWorld.ContractorName]),
            "maintenance" => ("/Maintenance", [HostileWorld.ContractorName, HostileWorld.CategoryName, HostileWorld.TicketTitle]),
            "sms" => ("/Sms", [HostileWorld.SmsBody]),
            "templates" => ("/Sms/Templates", [HostileWorld.TemplateBody]),
            "places" => ("/Places/Villages", [HostileWorld.VillageName, HostileWorld.MiniGridName]),
            "audit" => ("/Audit", [HostileWorld.CustomerName, HostileWorld.CustomerSurname, HostileWorld.Street]),
            "targets" => ("/Targets", [HostileWorld.MiniGridName]),
            _ => throw new ArgumentOutOfRangeException(nameof(where)),
        };
        await InBrowserAsync(async page =>
        {
            await LogInAsAdminAsync(page);
            await page.GotoAsync(url);
            var text = await page.Locator("main").InnerTextAsync() + await page.Locator("main").EvaluateAsync<string>("m => Array.from(m.querySelectorAll('textarea, input')).map(e => e.value).join('\\n')");
            foreach (var expected in texts)
            {
                Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{url} does not show {expected} as text:\n{text}");
            }

            if (where == "ticket")
            {
                // The category's colour comes through the DOM, not a style attribute the CSP would block.
                Assert.Equal("rgb(31, 119, 180)", await page.Locator("main span.badge[data-colour]").First.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
            }
        }, $"{nameof(Hostile_texts_are_shown_literally)}_{where}");
    }

    [Fact]
    public async Task The_dashboards_show_hostile_place_and_group_names_as_text_in_map_tooltips_and_chart_labels()
    {
        var w = World;
        await InBrowserAsync(async page =>
        {
            await LogInAsAdminAsync(page);

            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("#dashboard-map")).ToHaveAttributeAsync("data-drawn", "1");
            await page.Locator($"path.mpm-map-marker[data-place='{w.Cluster}']").HoverAsync(new() { Force = true });
            await Assertions.Expect(page.Locator(".leaflet-tooltip")).ToContainTextAsync(HostileWorld.ClusterName);

            await page.GotoAsync($"/Dashboards/Cluster/{w.Cluster}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(HostileWorld.ClusterName);
            await page.Locator($"path.mpm-map-marker[data-place='{w.MiniGrid}']").HoverAsync(new() { Force = true });
            await Assertions.Expect(page.Locator(".leaflet-tooltip")).ToContainTextAsync(HostileWorld.MiniGridName);
            await ExpectTextTooltipAsync(page, "revenue-trend", HostileWorld.ConnectionTypeName);

            await page.GotoAsync($"/Dashboards/MiniGrid/{w.MiniGrid}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(HostileWorld.MiniGridName);
            await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart('type-chart') !== undefined");
            Assert.Contains(HostileWorld.ConnectionTypeName, await page.EvaluateAsync<string[]>("() => Chart.getChart('type-chart').data.labels"));
            await ExpectTextTooltipAsync(page, "type-chart", HostileWorld.ConnectionTypeName);
            await ExpectTextTooltipAsync(page, "revenue-trend", HostileWorld.ConnectionTypeName);
            Assert.Empty(await page.EvaluateAsync<string[]>(InjectedScript));
        });
    }

    /// <summary>
    /// The chart's series named <paramref name="name"/> has the name as its label, and its tooltip — drawn on the canvas
    /// by Chart.js, no external HTML tooltip — holds it as text.
    /// </summary>
    private static async Task ExpectTextTooltipAsync(IPage page, string canvas, string name)
    {
        await page.WaitForFunctionAsync($"() => window.Chart && Chart.getChart('{canvas}') !== undefined");
        var tooltip = await page.EvaluateAsync<string[]>(
            """
            ([id, name]) => {
                const chart = Chart.getChart(id);
                if (chart.options.plugins.tooltip.external) { return ["external HTML tooltip"]; }
                const labels = chart.data.labels.map(String);
                let active = chart.data.datasets.findIndex(d => d.label === name);
                let index = 0;
                if (active < 0) { active = 0; index = labels.indexOf(name); }
                if (index < 0) { return ["no series or label " + name]; }
                chart.tooltip.setActiveElements([{ datasetIndex: active, index: index }], { x: 0, y: 0 });
                chart.update();
                return [...chart.tooltip.title, ...chart.tooltip.body.flatMap(b => b.lines)];
            }
            """,
            new[] { canvas, name });
        Assert.True(tooltip.Any(line => line.Contains(name, StringComparison.Ordinal)), $"{canvas} tooltip: {string.Join(" | ", tooltip)}");
    }
}
