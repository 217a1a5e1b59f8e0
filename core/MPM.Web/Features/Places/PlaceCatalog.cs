using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Customers;
using MPM.Web.Security;

namespace MPM.Web.Features.Places;

/// <summary>A cluster: a location, and optionally an area as GeoJSON Polygon text (see <see cref="GeoJsonArea"/>).</summary>
public sealed record ClusterInput(string? Name, string? ManagerName, decimal? Latitude, decimal? Longitude, string? Area);

public sealed record MiniGridInput(string? Name, long? ClusterId, decimal? Latitude, decimal? Longitude);

public sealed record VillageInput(string? Name, long? MiniGridId, decimal? Latitude, decimal? Longitude);

public sealed record ClusterRow(long Id, string Name, string? ManagerName, decimal? Latitude, decimal? Longitude, bool HasArea, int MiniGrids);

public sealed record MiniGridRow(long Id, string Name, long ClusterId, string Cluster, decimal Latitude, decimal Longitude, int Villages);

public sealed record VillageRow(long Id, string Name, long MiniGridId, string MiniGrid, string Cluster, decimal Latitude, decimal Longitude);

/// <summary>An option of a select: a mini-grid shows its cluster as the group.</summary>
public sealed record PlaceChoice(long Id, string Name, string? Group);

/// <summary>Clusters ⊃ mini-grids ⊃ villages: lists, and create/edit with validation. Every change is audit-logged.</summary>
public sealed class PlaceCatalog(MpmDb db, TimeProvider clock, AuditLog audit)
{
    public const int PageSize = 50;

    public async Task<Paged<ClusterRow>> ClustersAsync(int page, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, int.MaxValue / PageSize);
        var total = await db.Clusters.CountAsync(cancellationToken);
        var items = await db.Clusters.OrderBy(c => c.Name).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(c => new ClusterRow(c.Id, c.Name, c.ManagerName, c.Latitude, c.Longitude, c.AreaGeoJson != null, db.MiniGrids.Count(m => m.ClusterId == c.Id)))
            .ToListAsync(cancellationToken);
        return new Paged<ClusterRow>(items, page, PageSize, total);
    }

    public async Task<Paged<MiniGridRow>> MiniGridsAsync(int page, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, int.MaxValue / PageSize);
        var total = await db.MiniGrids.CountAsync(cancellationToken);
        var items = await (from m in db.MiniGrids
                           join c in db.Clusters on m.ClusterId equals c.Id
                           orderby c.Name, m.Name
                           select new MiniGridRow(m.Id, m.Name, c.Id, c.Name, m.Latitude, m.Longitude, db.Villages.Count(v => v.MiniGridId == m.Id)))
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Paged<MiniGridRow>(items, page, PageSize, total);
    }

    public async Task<Paged<VillageRow>> VillagesAsync(int page, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, int.MaxValue / PageSize);
        var total = await db.Villages.CountAsync(cancellationToken);
        var items = await (from v in db.Villages
                           join m in db.MiniGrids on v.MiniGridId equals m.Id
                           join c in db.Clusters on m.ClusterId equals c.Id
                           orderby c.Name, m.Name, v.Name
                           select new VillageRow(v.Id, v.Name, m.Id, m.Name, c.Name, v.Latitude, v.Longitude))
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Paged<VillageRow>(items, page, PageSize, total);
    }

    public Task<List<PlaceChoice>> ClusterChoicesAsync(CancellationToken cancellationToken = default) =>
        db.Clusters.OrderBy(c => c.Name).Select(c => new PlaceChoice(c.Id, c.Name, null)).ToListAsync(cancellationToken);

    public Task<List<PlaceChoice>> MiniGridChoicesAsync(CancellationToken cancellationToken = default) =>
        (from m in db.MiniGrids join c in db.Clusters on m.ClusterId equals c.Id orderby c.Name, m.Name select new PlaceChoice(m.Id, m.Name, c.Name))
            .ToListAsync(cancellationToken);

    public Task<ClusterInput?> ClusterAsync(long id, CancellationToken cancellationToken = default) =>
        db.Clusters.Where(c => c.Id == id).Select(c => new ClusterInput(c.Name, c.ManagerName, c.Latitude, c.Longitude, c.AreaGeoJson)).FirstOrDefaultAsync(cancellationToken);

    public Task<MiniGridInput?> MiniGridAsync(long id, CancellationToken cancellationToken = default) =>
        db.MiniGrids.Where(m => m.Id == id).Select(m => new MiniGridInput(m.Name, m.ClusterId, m.Latitude, m.Longitude)).FirstOrDefaultAsync(cancellationToken);

    public Task<VillageInput?> VillageAsync(long id, CancellationToken cancellationToken = default) =>
        db.Villages.Where(v => v.Id == id).Select(v => new VillageInput(v.Name, v.MiniGridId, v.Latitude, v.Longitude)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Creates a cluster (<paramref name="id"/> null) or edits one.</summary>
    public async Task<SaveResult> SaveClusterAsync(long? id, ClusterInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        var manager = string.IsNullOrWhiteSpace(input.ManagerName) ? null : input.ManagerName.Trim();
        if (manager?.Length > FieldRules.MaxNameLength)
        {
            errors["managerName"] = $"managerName must have at most {FieldRules.MaxNameLength} characters";
        }

        CoordinateProblems(errors, input.Latitude, input.Longitude);
        string? area = null;
        if (!string.IsNullOrWhiteSpace(input.Area))
        {
            (area, var problem) = GeoJsonArea.Parse(input.Area);
            if (problem is not null)
            {
                errors["area"] = problem;
            }
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"a cluster named {name} already exists", async () =>
        {
            var record = id is null ? new ClusterRecord { CreatedAt = clock.GetUtcNow() } : await db.Clusters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name!;
            record.ManagerName = manager;
            record.Latitude = input.Latitude;
            record.Longitude = input.Longitude;
            record.AreaGeoJson = area;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
            }

            await audit.WriteAsync(actor, id is null ? "cluster.create" : "cluster.update", $"cluster {record.Id}: {record.Name}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }

    public async Task<SaveResult> SaveMiniGridAsync(long? id, MiniGridInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        CoordinateProblems(errors, input.Latitude, input.Longitude);
        if (input.ClusterId is not { } clusterId)
        {
            errors["clusterId"] = "cluster is required";
        }
        else if (!await db.Clusters.AnyAsync(c => c.Id == clusterId, cancellationToken))
        {
            errors["clusterId"] = $"cluster {clusterId} does not exist";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"a mini-grid named {name} already exists", async () =>
        {
            var record = id is null ? new MiniGridRecord { CreatedAt = clock.GetUtcNow() } : await db.MiniGrids.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name!;
            record.ClusterId = input.ClusterId!.Value;
            record.Latitude = input.Latitude!.Value;
            record.Longitude = input.Longitude!.Value;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
            }

            await audit.WriteAsync(actor, id is null ? "mini-grid.create" : "mini-grid.update", $"mini-grid {record.Id}: {record.Name}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }

    public async Task<SaveResult> SaveVillageAsync(long? id, VillageInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        CoordinateProblems(errors, input.Latitude, input.Longitude);
        if (input.MiniGridId is not { } miniGridId)
        {
            errors["miniGridId"] = "mini-grid is required";
        }
        else if (!await db.MiniGrids.AnyAsync(m => m.Id == miniGridId, cancellationToken))
        {
            errors["miniGridId"] = $"mini-grid {miniGridId} does not exist";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"this mini-grid already has a village named {name}", async () =>
        {
            var record = id is null ? new VillageRecord { CreatedAt = clock.GetUtcNow() } : await db.Villages.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name!;
            record.MiniGridId = input.MiniGridId!.Value;
            record.Latitude = input.Latitude!.Value;
            record.Longitude = input.Longitude!.Value;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
            }

            await audit.WriteAsync(actor, id is null ? "village.create" : "village.update", $"village {record.Id}: {record.Name}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }

    /// <summary>Every place has a location; both coordinates are required.</summary>
    private static void CoordinateProblems(Dictionary<string, string> errors, decimal? latitude, decimal? longitude)
    {
        if (latitude is null)
        {
            errors["latitude"] = "latitude is required";
        }
        else if (latitude is < -90 or > 90)
        {
            errors["latitude"] = "latitude must be between -90 and 90";
        }

        if (longitude is null)
        {
            errors["longitude"] = "longitude is required";
        }
        else if (longitude is < -180 or > 180)
        {
            errors["longitude"] = "longitude must be between -180 and 180";
        }
    }
}
