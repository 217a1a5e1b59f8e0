using System.Security.Claims;
using MPM.Web.Shell;
using Xunit;

namespace MPM.Core.Tests.Shell;

public sealed class SidebarTests
{
    private static readonly SidebarEntry HelloEntry = new("Hello sample", "/plugins/hello", "bi-emoji-smile", []);
    private static readonly SidebarEntry AdminOnlyPluginEntry = new("Plugin admin", "/plugins/plugin-admin", "bi-journal", [], RequiredRole: "admin");
    private readonly Sidebar _sidebar = new([HelloEntry, AdminOnlyPluginEntry]);

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role}@example.com"), new Claim(ClaimTypes.Role, role)], "test"));

    private static readonly ClaimsPrincipal Admin = User("admin");
    private static readonly ClaimsPrincipal Viewer = User("viewer");

    [Fact]
    public void HasTheSeedSectionsInOrderThenThePluginEntries()
    {
        Assert.Equal(
            ["Clusters", "Customers", "Meters", "Targets", "Transactions", "Tickets", "Maintenance", "SMS", "Reports", "Settings", "Plugins", "Users", "API keys", "Audit log"],
            _sidebar.CoreEntries.Select(e => e.Title));
        Assert.Equal(["Categories", "Users"], _sidebar.CoreEntries.Single(e => e.Title == "Tickets").Children.Select(c => c.Title));
        Assert.Equal(["Contractors"], _sidebar.CoreEntries.Single(e => e.Title == "Maintenance").Children.Select(c => c.Title));
        Assert.Equal([HelloEntry, AdminOnlyPluginEntry], _sidebar.PluginEntries);
        Assert.Equal(_sidebar.CoreEntries.Concat(_sidebar.PluginEntries), _sidebar.Entries);
    }

    [Fact]
    public void WithoutPluginsThereAreOnlyTheCoreEntries()
    {
        var sidebar = new Sidebar([]);

        Assert.Empty(sidebar.PluginEntries);
        Assert.Equal(sidebar.CoreEntries, sidebar.Entries);
    }

    [Fact]
    public void PluginsUsersApiKeysAndTheAuditLogAreForAdminsOnly()
    {
        var hiddenFromViewer = _sidebar.Entries.Where(e => !Sidebar.IsVisibleTo(e, Viewer)).Select(e => e.Title);
        var hiddenFromManager = _sidebar.Entries.Where(e => !Sidebar.IsVisibleTo(e, User("manager"))).Select(e => e.Title);

        Assert.Equal(["Plugins", "Users", "API keys", "Audit log", "Plugin admin"], hiddenFromViewer);
        Assert.Equal(["Plugins", "Users", "API keys", "Audit log", "Plugin admin"], hiddenFromManager);
        Assert.All(_sidebar.Entries, e => Assert.True(Sidebar.IsVisibleTo(e, Admin)));
    }

    [Fact]
    public void AnAnonymousUserSeesOnlyEntriesWithoutARole()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        Assert.DoesNotContain(_sidebar.Entries.Where(e => Sidebar.IsVisibleTo(e, anonymous)), e => e.RequiredRole is not null);
    }

    [Theory]
    [InlineData("/", "Clusters")]
    [InlineData("", "Clusters")]
    [InlineData(null, "Clusters")]
    [InlineData("/Index", "Clusters")]
    [InlineData("/index", "Clusters")]
    [InlineData("/Customers", "Customers")]
    [InlineData("/customers/", "Customers")]
    [InlineData("/Customers/42/edit", "Customers")]
    [InlineData("/Tickets", "Tickets")]
    [InlineData("/Tickets/5", "Tickets")]
    [InlineData("/Tickets/Categories", "Categories")]
    [InlineData("/Tickets/Users/3", "Users")]
    [InlineData("/Plugins/Settings/hello", "Plugins")]
    [InlineData("/plugins/hello", "Hello sample")]
    [InlineData("/plugins/hello/greeting", "Hello sample")]
    public void TheActiveEntryIsTheLongestVisibleMatch(string? path, string expected)
    {
        var active = _sidebar.FindActive(path, Admin);

        Assert.NotNull(active);
        Assert.Equal(expected, active.Title);
        if (path?.StartsWith("/Tickets/Users", StringComparison.Ordinal) == true)
        {
            Assert.Same(_sidebar.CoreEntries.Single(e => e.Title == "Tickets").Children[1], active);
        }
    }

    [Theory]
    [InlineData("/CustomersX")]
    [InlineData("/Account/Login")]
    [InlineData("/Clusters")]
    [InlineData("/Indexes")]
    public void NoEntryIsActiveForAPathNoEntryCovers(string path) => Assert.Null(_sidebar.FindActive(path, Admin));

    [Fact]
    public void AHiddenEntryIsNeverActive()
    {
        Assert.Equal("Users", _sidebar.FindActive("/Users", Admin)?.Title);
        Assert.Null(_sidebar.FindActive("/Users", Viewer));
        Assert.Null(_sidebar.FindActive("/plugins/plugin-admin/log", Viewer));
        Assert.Equal("Plugin admin", _sidebar.FindActive("/plugins/plugin-admin/log", Admin)?.Title);
        Assert.Equal("API keys", _sidebar.FindActive("/ApiKeys", Admin)?.Title);
        Assert.Null(_sidebar.FindActive("/ApiKeys", User("manager")));
        Assert.Equal("Audit log", _sidebar.FindActive("/Audit", Admin)?.Title);
        Assert.Null(_sidebar.FindActive("/Audit", Viewer));
    }

    [Fact]
    public void AParentContainsItsActiveChildOnly()
    {
        var tickets = _sidebar.CoreEntries.Single(e => e.Title == "Tickets");
        var categories = _sidebar.FindActive("/Tickets/Categories", Viewer);

        Assert.True(Sidebar.ContainsActive(tickets, categories));
        Assert.False(Sidebar.ContainsActive(tickets, tickets));
        Assert.False(Sidebar.ContainsActive(tickets, null));
        Assert.False(Sidebar.ContainsActive(_sidebar.CoreEntries[0], categories));
    }

    [Fact]
    public void PluginEntriesAreRequired() => Assert.Throws<ArgumentNullException>(() => new Sidebar(null!));
}
