using MPM.Testing;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Support;

/// <summary>
/// A test class's own database (cloned from the migrated template) and the real host on it. Used as a class fixture:
/// every test class that uses it gets a database and a host of its own.
/// </summary>
public abstract class HostFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@example.com";
    public const string ManagerEmail = "manager@example.com";
    public const string ViewerEmail = "viewer@example.com";
    public const string Password = "correct-horse-battery";

    public TestDatabase Database { get; private set; } = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    /// <summary>The plugins.json the host loads; null for the default one next to the test (hello and openpaygo).</summary>
    protected virtual string? PluginsFile => null;

    /// <summary>True to serve over real HTTP on loopback (<see cref="BaseUrl"/>): Kestrel's own behaviour, e.g. body limits.</summary>
    protected virtual bool RealPort => false;

    /// <summary>The loopback URL when <see cref="RealPort"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    public virtual async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = CreateFactory(Database);
        if (RealPort)
        {
            BaseUrl = Factory.StartOnRealPort();
        }

        await Factory.AddUserAsync(AdminEmail, Password, "admin");
        await Factory.AddUserAsync(ManagerEmail, Password, "manager");
        await Factory.AddUserAsync(ViewerEmail, Password, "viewer");
    }

    /// <summary>The host on the test's database (a fixture may configure it further, or serve it on a real port).</summary>
    protected virtual MpmWebFactory CreateFactory(TestDatabase database) => new(database, PluginsFile);

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    public Task<HttpClient> LoginAsync(string email = AdminEmail) => Factory.LoginAsync(email, Password);

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The host with the default plugins.json: the sample plugin (hello) and openpaygo.</summary>
public sealed class DefaultHost : HostFixture;

/// <summary>The host with the fixture plugins (good, wrong SDK, throwing, stray SDK) and broken entries.</summary>
public class FixturePluginsHost : HostFixture
{
    private readonly string _pluginsFile = FixturePlugins.WriteFile();

    protected override string? PluginsFile => _pluginsFile;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_pluginsFile)!, recursive: true);
    }
}

/// <summary>The fixture plugins served over real HTTP on loopback.</summary>
public sealed class RealPortFixturePluginsHost : FixturePluginsHost
{
    protected override bool RealPort => true;
}
