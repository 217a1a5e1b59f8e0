using System.Net;
using MPM.Data.Postgres;
using MPM.Integration.Tests.Support;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>The CLI as an operator runs it: the built host DLL as a process of its own, on the test's database.</summary>
public sealed class CliTests(DefaultHost host) : IClassFixture<DefaultHost>
{
    /// <summary>A connection string to nowhere: a verb that needs no database must not try it.</summary>
    private const string Bogus = "Host=/nonexistent-mpm-socket-dir;Port=1;Username=nobody;Database=nothing;Timeout=2";

    private Dictionary<string, string> OnTestDatabase => new() { ["ConnectionStrings__Mpm"] = host.Database.ConnectionString };

    private static Task<ProcessResult> RunAsync(Dictionary<string, string> environment, params string[] args) => HostProcess.RunAsync(args, environment);

    [Fact]
    public async Task PluginsListNeedsNoDatabase()
    {
        var result = await RunAsync(new() { ["ConnectionStrings__Mpm"] = Bogus }, "plugins", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("id\tversion\tkinds\tstatus", result.Lines[0]);
        Assert.Contains("hello\t1.0.0\tother\tactive", result.Lines);
        Assert.Contains("openpaygo\t1.0.0\ttoken\tactive", result.Lines);
    }

    [Fact]
    public async Task AVerbWithoutADatabaseStartsNoEmbeddedCluster()
    {
        var data = Directory.CreateTempSubdirectory("mpm-cli-nodb-").FullName;
        try
        {
            var result = await RunAsync(new() { ["MPM_DATA_DIR"] = data }, "hello", "--name", "Asha");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Empty(Directory.GetFileSystemEntries(data));
            Assert.False(Directory.Exists(EmbeddedPostgres.For(data).ClusterDirectory));
        }
        finally
        {
            Clusters.Remove(data);
        }
    }

    [Fact]
    public async Task TheSamplePluginsVerbGreets()
    {
        var result = await RunAsync(new() { ["ConnectionStrings__Mpm"] = Bogus }, "hello", "--name", "Asha");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Hello, Asha!", result.Stdout.Trim());
    }

    [Fact]
    public async Task AnUnknownVerbIsAUsageError()
    {
        var result = await RunAsync(new() { ["ConnectionStrings__Mpm"] = Bogus }, "frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown verb 'frobnicate'", result.Stderr);
        // The help lists the built-in verbs and the plugins' verbs.
        foreach (var verb in new[] { "migrate", "users", "api-keys", "plugins", "hello", "openpaygo" })
        {
            Assert.Contains($"  {verb} ", result.Stderr);
        }
    }

    [Fact]
    public async Task UsersAddCreatesTheUserInTheDatabase()
    {
        var result = await RunAsync(OnTestDatabase, "users", "add", "--email", "cli.admin@example.com", "--password", "cli password 1", "--role", "admin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("User cli.admin@example.com added with role admin.", result.Stdout.Trim());
        Assert.Equal("admin", await host.ScalarAsync<string>("SELECT role FROM mpm.users WHERE email = 'cli.admin@example.com'"));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE actor = 'cli' AND action = 'user.add' AND details LIKE 'cli.admin@example.com%'"));
        // The running host lets that user in.
        var client = await host.Factory.LoginAsync("cli.admin@example.com", "cli password 1");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Users")).StatusCode);
    }

    [Theory]
    [InlineData("cli.badrole@example.com", "cli password 1", "root", "role must be one of admin, manager, viewer")]
    [InlineData("not-an-email", "cli password 1", "viewer", "is not a valid email address")]
    [InlineData("cli.short@example.com", "short", "viewer", "at least 8 characters")]
    public async Task UsersAddWithBadInputExitsWith2AndSaysWhy(string email, string password, string role, string message)
    {
        var result = await RunAsync(OnTestDatabase, "users", "add", "--email", email, "--password", password, "--role", role);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.users WHERE email = $1", email));
    }

    [Theory]
    [InlineData("--password", "--password is required", "users", "add", "--email", "x@example.com", "--role", "admin")]
    [InlineData("--name", "--name is required", "api-keys", "add")]
    [InlineData("--colour", "unknown argument '--colour'", "api-keys", "add", "--name", "ci", "--colour", "blue")]
    [InlineData("usage", "usage: users add", "users", "remove")]
    [InlineData("--prefix", "--prefix is required", "api-keys", "revoke")]
    [InlineData("usage", "usage: api-keys add --name N | api-keys list | api-keys revoke --prefix P", "api-keys", "delete")]
    public async Task BadUsageExitsWith2(string _, string message, params string[] args)
    {
        var result = await RunAsync(OnTestDatabase, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }

    [Fact]
    public async Task ApiKeysAddPrintsTheKeyAloneOnTheLastLineAndTheKeyWorks()
    {
        var result = await RunAsync(OnTestDatabase, "api-keys", "add", "--name", "ci");

        Assert.True(result.ExitCode == 0, result.ToString());
        var key = result.Lines[^1];
        Assert.Matches("^mpm_[0-9a-f]{8}_[A-Za-z0-9_=-]+$", key);
        Assert.Equal(key, key.Trim());
        Assert.DoesNotContain(key, string.Join('\n', result.Lines.SkipLast(1)));

        var api = host.Factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        var response = await api.GetAsync("/api/v1/plugins");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"hello\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiKeysListShowsPrefixesAndRevokeRefusesTheKeyFromTheNextRequestOn()
    {
        var key = (await RunAsync(OnTestDatabase, "api-keys", "add", "--name", "cli-revoked")).Lines[^1];
        var prefix = key.Split('_')[1];
        var api = host.Factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/plugins")).StatusCode);

        var list = await RunAsync(OnTestDatabase, "api-keys", "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("prefix\tname\tcreated\tcreated by\tstatus", list.Lines[0]);
        Assert.Contains(list.Lines, l => l.StartsWith($"mpm_{prefix}_…\tcli-revoked\t", StringComparison.Ordinal) && l.EndsWith("\tcli\tactive", StringComparison.Ordinal));
        Assert.DoesNotContain(key, list.Stdout);

        var revoke = await RunAsync(OnTestDatabase, "api-keys", "revoke", "--prefix", $"mpm_{prefix}_…");

        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Equal($"API key cli-revoked (mpm_{prefix}_…) revoked; it is refused from the next request on.", revoke.Lines[^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/plugins")).StatusCode);
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE actor = 'cli' AND action = 'api-key.revoke' AND details = $1", $"cli-revoked (mpm_{prefix}_…)"));
        var listed = (await RunAsync(OnTestDatabase, "api-keys", "list")).Lines.Single(l => l.StartsWith($"mpm_{prefix}_…", StringComparison.Ordinal));
        Assert.Matches(@"\trevoked \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by cli$", listed);

        var again = await RunAsync(OnTestDatabase, "api-keys", "revoke", "--prefix", prefix);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"API key cli-revoked (mpm_{prefix}_…) was already revoked on ", again.Stderr);
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.audit_log WHERE action = 'api-key.revoke' AND details = $1", $"cli-revoked (mpm_{prefix}_…)"));
    }

    [Fact]
    public async Task RevokingAnUnknownPrefixExitsWith1AndChangesNothing()
    {
        var key = await host.Factory.AddApiKeyAsync("cli-kept");
        var active = await host.ScalarAsync<long>("SELECT count(*) FROM mpm.api_keys WHERE revoked_at IS NULL");

        var result = await RunAsync(OnTestDatabase, "api-keys", "revoke", "--prefix", "mpm_00000000_…");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No API key has the prefix mpm_00000000_… (see `api-keys list`); nothing changed.", result.Stderr);
        Assert.Equal(active, await host.ScalarAsync<long>("SELECT count(*) FROM mpm.api_keys WHERE revoked_at IS NULL"));
        var api = host.Factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/plugins")).StatusCode);
    }

    [Fact]
    public async Task MigrateAppliesEverythingOnceOnAnEmptyDatabase()
    {
        var blank = new BlankDatabase();
        await blank.InitializeAsync();
        try
        {
            var environment = new Dictionary<string, string> { ["ConnectionStrings__Mpm"] = blank.Database.ConnectionString };

            var first = await RunAsync(environment, "migrate");
            var second = await RunAsync(environment, "migrate");

            Assert.True(first.ExitCode == 0, first.ToString());
            var applied = await blank.Database.ScalarAsync<int>("SELECT count(*) FROM mpm_migrations.applied");
            Assert.True(applied > 0);
            Assert.Equal($"{applied} migration(s) applied; the database is up to date.", first.Stdout.Trim());
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Equal("0 migration(s) applied; the database is up to date.", second.Stdout.Trim());
            Assert.Equal(1, await blank.Database.ScalarAsync<int>("SELECT count(*) FROM mpm_migrations.applied WHERE component = 'core' AND version = 1"));
        }
        finally
        {
            await blank.DisposeAsync();
        }
    }

    [Fact]
    public async Task PluginsJsonCanBeChosenByEnvironmentAndItsPluginsAddVerbs()
    {
        var pluginsFile = FixturePlugins.WriteFile();
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Mpm"] = Bogus,
                ["Plugins__File"] = pluginsFile,
                ["Plugins__Root"] = Repo.PluginRoot,
            };

            var echo = await RunAsync(environment, "fixture-echo", "one", "two");
            var list = await RunAsync(environment, "plugins", "list");

            Assert.True(echo.ExitCode == 0, echo.ToString());
            Assert.Equal("one two", echo.Stdout.Trim());
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Contains("fixture-good\t2.3.4\tother,weather\tactive", list.Lines);
            Assert.Contains("fixture-wrong-sdk\t1.0.0\tother\tfailed (plugin targets SDK 99; this host supports SDK 1)", list.Lines);
            Assert.Contains(list.Lines, l => l.StartsWith("fixture-missing\t-\t-\tfailed (plugin folder not found", StringComparison.Ordinal));
            Assert.Contains("fixture-disabled\t-\t-\tdisabled (disabled in plugins.json)", list.Lines);
            // The failed plugins were logged, on stderr, while the verb's own output stayed clean.
            Assert.Contains("fixture-throwing", list.Stderr);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(pluginsFile)!, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutAConnectionStringTheEmbeddedClusterServesTheVerbAndStopsAfterwards()
    {
        var data = Directory.CreateTempSubdirectory("mpm-cli-embedded-").FullName;
        var cluster = EmbeddedPostgres.For(data);
        var environment = new Dictionary<string, string> { ["MPM_DATA_DIR"] = data };
        try
        {
            var first = await RunAsync(environment, "users", "add", "--email", "embedded@example.com", "--password", "embedded password", "--role", "viewer");

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Equal("User embedded@example.com added with role viewer.", first.Stdout.Trim());
            Assert.True(File.Exists(Path.Combine(cluster.ClusterDirectory, "PG_VERSION")), "no cluster was made in the data directory");
            AssertStopped(cluster);

            // A second run on the same data directory finds the same database.
            var second = await RunAsync(environment, "users", "add", "--email", "embedded@example.com", "--password", "embedded password", "--role", "viewer");

            Assert.Equal(2, second.ExitCode);
            Assert.Contains("a user with email embedded@example.com already exists", second.Stderr);
            AssertStopped(cluster);
        }
        finally
        {
            Clusters.Remove(data);
        }

        static void AssertStopped(EmbeddedPostgres cluster)
        {
            Assert.Empty(Clusters.ServerProcesses(cluster.ClusterDirectory));
            Assert.False(File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")), "the cluster was left running");
        }
    }
}
