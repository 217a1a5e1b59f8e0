using MPM.Testing;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Support;

/// <summary>
/// A test class's own database with nothing in it (not cloned from the migrated template): for the migrations themselves.
/// </summary>
public sealed class BlankDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var admin = await TestPostgres.AdminConnectionStringAsync();
        var name = $"mpm_blank_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
        }

        Database = new TestDatabase(admin, name);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}
