using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MPM.Testing;
using MPM.Web.Features.Dashboards;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Dashboards;

/// <summary>
/// registrations_daily (customers, meters and new connections per operator day, mini-grid and customer group, kept by
/// triggers on meters) against a distinct count over the meters table, the way the dashboards counted before it: after
/// registrations on both sides of the operator's midnight, a customer with meters in two groups and two mini-grids, a
/// meter moved to another village, customer or group, a meter deleted, a village moved to another mini-grid, and two
/// concurrent registrations for one customer.
/// </summary>
public sealed class RegistrationsAggregateTests : IAsyncLifetime
{
    private static readonly DashboardPeriod[] Periods =
    [
        new(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31)),
        new(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)),
        new(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 15)),
        new(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31)),
        new(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)),
    ];

    private TestDatabase _database = null!;
    private MpmWebFactory _factory = null!;
    private long _kagera, _mara, _mg1, _mg2, _mg3, _v1a, _v1b, _v2, _v3, _household, _business, _asha, _baraka, _chausiku;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _factory = new NoPipelineFactory(_database);
        _ = _factory.Services;
        _kagera = await IdAsync("INSERT INTO mpm.clusters (name, created_at) VALUES ('Kagera', now()) RETURNING id");
        _mara = await IdAsync("INSERT INTO mpm.clusters (name, created_at) VALUES ('Mara', now()) RETURNING id");
        _mg1 = await IdAsync($"INSERT INTO mpm.mini_grids (cluster_id, name, latitude, longitude, created_at) VALUES ({_kagera}, 'MG-1', -1.3, 31.8, now()) RETURNING id");
        _mg2 = await IdAsync($"INSERT INTO mpm.mini_grids (cluster_id, name, latitude, longitude, created_at) VALUES ({_kagera}, 'MG-2', -1.2, 31.4, now()) RETURNING id");
        _mg3 = await IdAsync($"INSERT INTO mpm.mini_grids (cluster_id, name, latitude, longitude, created_at) VALUES ({_mara}, 'MG-3', -1.8, 34.0, now()) RETURNING id");
        _v1a = await VillageAsync(_mg1, "Bukoba");
        _v1b = await VillageAsync(_mg1, "Kemondo");
        _v2 = await VillageAsync(_mg2, "Muleba");
        _v3 = await VillageAsync(_mg3, "Musoma");
        _household = await IdAsync("INSERT INTO mpm.connection_types (name) VALUES ('Household') RETURNING id");
        _business = await IdAsync("INSERT INTO mpm.connection_types (name) VALUES ('Business') RETURNING id");
        await ExecuteAsync("INSERT INTO mpm.tariffs (name, price_per_kwh, created_at) VALUES ('Household', 500, now())");
        await ExecuteAsync("INSERT INTO mpm.manufacturers (name, token_generator, created_at) VALUES ('Hexing', 'sts', now())");
        _asha = await CustomerAsync("Asha");
        _baraka = await CustomerAsync("Baraka");
        _chausiku = await CustomerAsync("Chausiku");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Registrations_equal_a_count_of_the_meters_through_registrations_moves_and_removals()
    {
        // Asha: two groups in MG-1, and a meter in MG-2 registered at 00:30 on 1 March in Dar es Salaam (28 Feb UTC).
        var ashaFirst = await MeterAsync(_asha, _v1a, _household, "2026-01-10 09:00+03");
        await MeterAsync(_asha, _v1b, _business, "2026-02-05 09:00+03");
        await MeterAsync(_asha, _v2, _household, "2026-03-01 00:30+03");
        // Baraka: two meters of one group in one mini-grid, the first at 23:30 on 28 February.
        await MeterAsync(_baraka, _v1a, _household, "2026-02-28 23:30+03");
        var barakaSecond = await MeterAsync(_baraka, _v1a, _household, "2026-03-02 09:00+03");
        // Chausiku: no customer group.
        var chausikuMeter = await MeterAsync(_chausiku, _v3, null, "2026-03-10 09:00+03");

        // By hand, up to 15 March: MG-1 has Asha and Baraka with 4 meters, one (Baraka's second) new in March;
        // Household there counts both customers and 3 meters, Business Asha's one.
        var march = Periods[2];
        var mg1 = (await ActualByMiniGridAsync(march))[_mg1];
        Assert.Equal(new Registrations(2, 4, 1), mg1);
        var groups = await ActualByGroupAsync(march, _mg1);
        Assert.Equal(new Registrations(2, 3, 1), groups[_household]);
        Assert.Equal(new Registrations(1, 1, 0), groups[_business]);
        Assert.Equal(new Registrations(1, 1, 1), (await ActualByMiniGridAsync(march))[_mg2]);
        // January: Asha's first meter. February: Baraka's first (23:30 on the 28th) counts, Asha's MG-2 meter (00:30 on 1 March) does not.
        Assert.Equal(new Registrations(1, 1, 1), (await ActualByMiniGridAsync(Periods[0]))[_mg1]);
        var february = await ActualByMiniGridAsync(Periods[1]);
        Assert.Equal(new Registrations(2, 3, 2), february[_mg1]);
        Assert.False(february.ContainsKey(_mg2));
        await AssertSameAsMetersAsync();

        // A meter moved to another mini-grid's village, to another customer, to another group; one deleted.
        await ExecuteAsync($"UPDATE mpm.meters SET village_id = {_v3} WHERE id = {ashaFirst}");
        await AssertSameAsMetersAsync();
        await ExecuteAsync($"UPDATE mpm.meters SET customer_id = {_asha} WHERE id = {barakaSecond}");
        await AssertSameAsMetersAsync();
        await ExecuteAsync($"UPDATE mpm.meters SET connection_type_id = {_business} WHERE id = {chausikuMeter}");
        await AssertSameAsMetersAsync();
        await ExecuteAsync($"DELETE FROM mpm.meters WHERE id = {barakaSecond}");
        await AssertSameAsMetersAsync();
        Assert.Equal(new Registrations(2, 2, 0), (await ActualByMiniGridAsync(march))[_mg1]);

        // A village moved to another mini-grid (the Places pages allow it) takes its meters' registrations along.
        await ExecuteAsync($"UPDATE mpm.villages SET mini_grid_id = {_mg3} WHERE id = {_v1b}");
        await AssertSameAsMetersAsync();
        Assert.Equal(new Registrations(1, 1, 0), (await ActualByMiniGridAsync(march))[_mg1]);

        // What the triggers kept equals the aggregate computed afresh from every meter.
        Assert.Equal(0L, await ScalarAsync<long>(
            """
            SELECT count(*) FROM (
                (SELECT day, mini_grid_id, connection_type_id, meters, grid_customers, group_customers FROM mpm.registrations_daily
                  WHERE meters <> 0 OR grid_customers <> 0 OR group_customers <> 0
                 EXCEPT SELECT * FROM mpm.registrations_of(ARRAY(SELECT m FROM mpm.meters m)))
                UNION ALL
                (SELECT * FROM mpm.registrations_of(ARRAY(SELECT m FROM mpm.meters m))
                 EXCEPT SELECT day, mini_grid_id, connection_type_id, meters, grid_customers, group_customers FROM mpm.registrations_daily)) d
            """));
    }

    [Fact]
    public async Task Two_concurrent_first_meters_of_one_customer_in_one_mini_grid_count_the_customer_once()
    {
        await using var first = new NpgsqlConnection(_database.ConnectionString);
        await using var second = new NpgsqlConnection(_database.ConnectionString);
        await first.OpenAsync();
        await second.OpenAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        await InsertMeterAsync(first, _asha, _v1a, _household, "2026-03-02 09:00+03");

        // The second waits for the first's lock on the customer, then sees its meter.
        var waiting = InsertMeterAsync(second, _asha, _v1b, _household, "2026-03-03 09:00+03");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await firstTransaction.CommitAsync();
        await waiting;
        await secondTransaction.CommitAsync();

        Assert.Equal(new Registrations(1, 2, 2), (await ActualByMiniGridAsync(Periods[2]))[_mg1]);
        Assert.Equal(new Registrations(1, 2, 2), (await ActualByGroupAsync(Periods[2], _mg1))[_household]);
        await AssertSameAsMetersAsync();
    }

    /// <summary>For every period, per mini-grid and per group of every mini-grid: the dashboards' figures equal the count over meters.</summary>
    private async Task AssertSameAsMetersAsync()
    {
        foreach (var period in Periods)
        {
            Assert.Equal(await ExpectedAsync(period, "v.mini_grid_id", "true"), await ActualByMiniGridAsync(period));
            foreach (var miniGrid in new[] { _mg1, _mg2, _mg3 })
            {
                Assert.Equal(await ExpectedAsync(period, "coalesce(m.connection_type_id, 0)", $"v.mini_grid_id = {miniGrid}"), await ActualByGroupAsync(period, miniGrid));
            }
        }
    }

    private async Task<SortedDictionary<long, Registrations>> ActualByMiniGridAsync(DashboardPeriod period)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var dashboard = await scope.ServiceProvider.GetRequiredService<DashboardQueries>().ClustersAsync(period);
        return new(dashboard.Clusters.SelectMany(c => c.MiniGrids).Where(g => g.Registrations.Meters > 0).ToDictionary(g => g.Id, g => g.Registrations));
    }

    private async Task<SortedDictionary<long, Registrations>> ActualByGroupAsync(DashboardPeriod period, long miniGrid)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var dashboard = await scope.ServiceProvider.GetRequiredService<DashboardQueries>().MiniGridAsync(miniGrid, period);
        return new(dashboard!.CustomerTypes.Where(t => t.Registrations.Meters > 0).ToDictionary(t => t.ConnectionTypeId ?? 0, t => t.Registrations));
    }

    /// <summary>The count the dashboards made before the aggregate: distinct customers over the meters registered before the operator's next midnight.</summary>
    private async Task<SortedDictionary<long, Registrations>> ExpectedAsync(DashboardPeriod period, string key, string filter)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {key}, count(DISTINCT m.customer_id)::int, count(*)::int,
                   (count(*) FILTER (WHERE m.registered_at >= (@from::timestamp AT TIME ZONE mpm.operator_zone())))::int
            FROM mpm.meters m JOIN mpm.villages v ON v.id = m.village_id
            WHERE m.registered_at < ((@to::date + 1)::timestamp AT TIME ZONE mpm.operator_zone()) AND {filter}
            GROUP BY 1
            """,
            connection);
        command.Parameters.AddWithValue("from", period.From);
        command.Parameters.AddWithValue("to", period.To);
        var result = new SortedDictionary<long, Registrations>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetInt64(0)] = new Registrations(reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        }

        return result;
    }

    private Task<long> VillageAsync(long miniGrid, string name) =>
        IdAsync($"INSERT INTO mpm.villages (mini_grid_id, name, latitude, longitude, created_at) VALUES ({miniGrid}, '{name}', -1.3, 31.8, now()) RETURNING id");

    private Task<long> CustomerAsync(string name) =>
        IdAsync($"INSERT INTO mpm.customers (name, surname, phone, created_at) VALUES ('{name}', 'Test', '+255712000000', now()) RETURNING id");

    private async Task<long> MeterAsync(long customer, long village, long? group, string registeredAt)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return await InsertMeterAsync(connection, customer, village, group, registeredAt);
    }

    private static int _serial;

    private static async Task<long> InsertMeterAsync(NpgsqlConnection connection, long customer, long village, long? group, string registeredAt)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO mpm.meters (serial_number, customer_id, village_id, tariff_id, manufacturer_id, connection_type_id, registered_at)
            VALUES (@serial, @customer, @village,
                    (SELECT id FROM mpm.tariffs ORDER BY id LIMIT 1), (SELECT id FROM mpm.manufacturers ORDER BY id LIMIT 1), @group, @at::timestamptz)
            RETURNING id
            """,
            connection);
        command.Parameters.AddWithValue("serial", $"RA-{Interlocked.Increment(ref _serial)}");
        command.Parameters.AddWithValue("customer", customer);
        command.Parameters.AddWithValue("village", village);
        command.Parameters.AddWithValue("group", group is { } g ? g : DBNull.Value);
        command.Parameters.AddWithValue("at", registeredAt);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> IdAsync(string sql) => ScalarAsync<long>(sql);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class NoPipelineFactory(TestDatabase database) : MpmWebFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Pipeline:Enabled", "false");
        }
    }
}
