using System.Globalization;
using LinqToDB;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>
/// Two clusters on Tanzania's great lakes — the Mwanza shore and islands of Lake Victoria, the Kigoma shore of Lake
/// Tanganyika — with five mini-grids and their villages at real coordinates.
/// </summary>
public sealed class PlacesSection(MpmDb db) : IDemoSection
{
    private sealed record Village(string Name, decimal Latitude, decimal Longitude);

    private sealed record MiniGrid(string Name, decimal Latitude, decimal Longitude, Village[] Villages);

    private sealed record Cluster(string Name, string Manager, decimal Latitude, decimal Longitude, (decimal Lon, decimal Lat)[] Area, IReadOnlyList<string> Surnames, MiniGrid[] MiniGrids);

    private static readonly Cluster[] Clusters =
    [
        new("Lake Victoria", "Neema Masanja", -2.250m, 32.850m,
            [(32.25m, -1.65m), (33.35m, -1.65m), (33.45m, -2.75m), (32.25m, -2.75m)],
            TanzanianNames.LakeVictoria,
            [
                new("Ukara Island", -1.845m, 33.040m, [new("Bwisya", -1.845m, 33.040m), new("Bukiko", -1.862m, 33.012m), new("Nyamanga", -1.828m, 33.071m)]),
                new("Kome Island", -2.352m, 32.441m, [new("Nyakasasa", -2.352m, 32.441m), new("Lugata", -2.383m, 32.418m), new("Mchangani", -2.336m, 32.465m)]),
                new("Nyanguge", -2.548m, 33.196m, [new("Nyanguge", -2.548m, 33.196m), new("Kisamba", -2.571m, 33.221m), new("Lutale", -2.529m, 33.172m)]),
            ]),
        new("Lake Tanganyika", "Baraka Kaduri", -4.900m, 29.750m,
            [(29.50m, -4.45m), (29.95m, -4.45m), (30.05m, -5.35m), (29.60m, -5.35m)],
            TanzanianNames.LakeTanganyika,
            [
                new("Mwamgongo", -4.592m, 29.650m, [new("Mwamgongo", -4.592m, 29.650m), new("Kiziba", -4.565m, 29.662m), new("Bugamba", -4.614m, 29.671m)]),
                new("Ilagala", -5.205m, 29.840m, [new("Ilagala", -5.205m, 29.840m), new("Kajeje", -5.223m, 29.861m), new("Lubalisi", -5.188m, 29.826m)]),
            ]),
    ];

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var created = context.Start.AddMonths(-1);
        foreach (var cluster in Clusters)
        {
            var clusterId = await db.InsertWithInt64IdentityAsync(new ClusterRecord
            {
                Name = cluster.Name,
                ManagerName = cluster.Manager,
                Latitude = cluster.Latitude,
                Longitude = cluster.Longitude,
                AreaGeoJson = Polygon(cluster.Area),
                CreatedAt = created,
            }, token: cancellationToken);
            foreach (var miniGrid in cluster.MiniGrids)
            {
                var miniGridId = await db.InsertWithInt64IdentityAsync(new MiniGridRecord
                {
                    ClusterId = clusterId, Name = miniGrid.Name, Latitude = miniGrid.Latitude, Longitude = miniGrid.Longitude, CreatedAt = created,
                }, token: cancellationToken);
                foreach (var village in miniGrid.Villages)
                {
                    var record = new VillageRecord { MiniGridId = miniGridId, Name = village.Name, Latitude = village.Latitude, Longitude = village.Longitude, CreatedAt = created };
                    record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
                    // Mostly the region's own surnames, some heard all over the country.
                    context.Villages.Add(new DemoVillage(record, cluster.Name, [.. cluster.Surnames, .. cluster.Surnames, .. TanzanianNames.Everywhere]));
                }
            }
        }
    }

    /// <summary>A GeoJSON polygon geometry (longitude first), closed.</summary>
    private static string Polygon((decimal Lon, decimal Lat)[] corners) =>
        "{\"type\":\"Polygon\",\"coordinates\":[[" +
        string.Join(",", corners.Append(corners[0]).Select(c => string.Create(CultureInfo.InvariantCulture, $"[{c.Lon},{c.Lat}]"))) +
        "]]}";
}
