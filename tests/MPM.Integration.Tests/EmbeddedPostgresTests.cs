using MPM.Data.Postgres;
using MPM.Integration.Tests.Support;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests;

/// <summary>The private cluster the host runs when no connection string is given, on fresh data directories.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly List<string> _dataDirectories = [];

    private string NewDataDirectory()
    {
        var folder = Directory.CreateTempSubdirectory("mpm-embedded-").FullName;
        _dataDirectories.Add(folder);
        return folder;
    }

    public void Dispose() => _dataDirectories.ForEach(Clusters.Remove);

    private static async Task<(int Pid, string DataDirectory)> ServerAsync(EmbeddedPostgres cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid(), current_setting('data_directory')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        // The postmaster's pid is in postmaster.pid; the backend pid proves the connection is real.
        var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")).First());
        Assert.True(reader.GetInt32(0) > 0);
        return (postmaster, reader.GetString(1));
    }

    private static async Task<bool> AcceptsConnectionsAsync(EmbeddedPostgres cluster)
    {
        try
        {
            await using var connection = new NpgsqlConnection(cluster.AdminConnectionString() + ";Pooling=false;Timeout=5");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    [Fact]
    public async Task StartsOnAFreshDirectoryIsReusedByASecondStartAndStopsOnDispose()
    {
        var data = NewDataDirectory();
        var cluster = EmbeddedPostgres.For(data);
        Assert.False(await AcceptsConnectionsAsync(cluster));

        await cluster.StartAsync();

        Assert.True(File.Exists(Path.Combine(cluster.ClusterDirectory, "PG_VERSION")));
        var (pid, dataDirectory) = await ServerAsync(cluster);
        Assert.Equal(cluster.ClusterDirectory, dataDirectory);
        Assert.Equal([pid], Clusters.ServerProcesses(cluster.ClusterDirectory));
        // Unix socket only: no TCP port.
        Assert.True(File.Exists(Path.Combine(cluster.SocketDirectory, ".s.PGSQL.5432")));

        // A second process (here: a second instance) on the same data directory uses the running server...
        var second = EmbeddedPostgres.For(data);
        Assert.Equal(cluster.ClusterDirectory, second.ClusterDirectory);
        await second.StartAsync();
        Assert.Equal(pid, (await ServerAsync(second)).Pid);
        // ...and, not having started it, leaves it running when it is done.
        await second.DisposeAsync();
        Assert.True(await AcceptsConnectionsAsync(cluster));

        await cluster.DisposeAsync();

        Assert.False(await AcceptsConnectionsAsync(cluster));
        Assert.Empty(Clusters.ServerProcesses(cluster.ClusterDirectory));
        Assert.False(File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")));
    }

    [Fact]
    public async Task RestartsAnExistingClusterWithItsData()
    {
        var data = NewDataDirectory();
        var cluster = EmbeddedPostgres.For(data);
        await cluster.StartAsync();
        await MPM.Data.Database.CreateDatabaseIfMissingAsync(cluster.AdminConnectionString(), "kept", CancellationToken.None);
        await cluster.DisposeAsync();

        var again = EmbeddedPostgres.For(data);
        await again.StartAsync();
        try
        {
            await using var connection = new NpgsqlConnection(again.AdminConnectionString("kept") + ";Pooling=false");
            await connection.OpenAsync();
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoDataDirectoriesRunSideBySide()
    {
        var one = EmbeddedPostgres.For(NewDataDirectory());
        var two = EmbeddedPostgres.For(NewDataDirectory());
        Assert.NotEqual(one.SocketDirectory, two.SocketDirectory);
        Assert.NotEqual(one.ClusterDirectory, two.ClusterDirectory);

        await one.StartAsync();
        await two.StartAsync();
        try
        {
            var first = await ServerAsync(one);
            var second = await ServerAsync(two);
            Assert.NotEqual(first.Pid, second.Pid);
            Assert.Equal(one.ClusterDirectory, first.DataDirectory);
            Assert.Equal(two.ClusterDirectory, second.DataDirectory);

            // They are separate servers: a database made in one is not in the other.
            await MPM.Data.Database.CreateDatabaseIfMissingAsync(one.AdminConnectionString(), "only_in_one", CancellationToken.None);
            await using var connection = new NpgsqlConnection(two.AdminConnectionString() + ";Pooling=false");
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = 'only_in_one'", connection);
            Assert.Equal(0L, await exists.ExecuteScalarAsync());
        }
        finally
        {
            await one.DisposeAsync();
            await two.DisposeAsync();
        }

        Assert.Empty(Clusters.ServerProcesses(one.ClusterDirectory));
        Assert.Empty(Clusters.ServerProcesses(two.ClusterDirectory));
    }
}
