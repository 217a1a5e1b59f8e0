using LinqToDB;
using LinqToDB.Async;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Security;

namespace MPM.Web.Features.Targets;

/// <summary>A new target as the form and POST /api/v1/targets send it. Every goal is optional.</summary>
/// <param name="OwnerType">"cluster" or "mini-grid".</param>
public sealed record TargetInput(string? OwnerType, long? OwnerId, DateOnly? ValidUntil, List<TargetValueInput?>? Values);

/// <param name="ConnectionTypeId">The customer group; null: all customers.</param>
public sealed record TargetValueInput(long? ConnectionTypeId, int? NewConnections, decimal? Revenue, decimal? ConnectedPower, decimal? EnergyPerMonth, decimal? AverageRevenuePerCustomer)
{
    public bool IsEmpty => NewConnections is null && Revenue is null && ConnectedPower is null && EnergyPerMonth is null && AverageRevenuePerCustomer is null;
}

/// <summary>One goal line of a listed target, with its customer group's name ("All customers" for null).</summary>
public sealed record TargetValueRow(long? ConnectionTypeId, string Group, TargetGoals Goals);

/// <summary>A target as the Targets page lists it.</summary>
public sealed record TargetRow(long Id, string OwnerType, long OwnerId, string OwnerName, string ClusterName, DateOnly ValidUntil, DateTimeOffset CreatedAt, IReadOnlyList<TargetValueRow> Values)
{
    public TargetGoals Total => ToDomain().Total;

    public Target ToDomain() => new(Id, TargetCatalog.OwnerTypeOf(OwnerType), OwnerId, ValidUntil, Values.Select(v => new TargetValue(v.ConnectionTypeId, v.Goals)).ToList());
}

/// <summary>Targets of clusters and mini-grids: created (validated, audit-logged) and listed, and loaded for the dashboards.</summary>
public sealed class TargetCatalog(MpmDb db, TimeProvider clock, AuditLog audit)
{
    public const string Cluster = "cluster";
    public const string MiniGrid = "mini-grid";
    public const string AllCustomers = "All customers";

    public static TargetOwnerType OwnerTypeOf(string ownerType) => ownerType == Cluster ? TargetOwnerType.Cluster : TargetOwnerType.MiniGrid;

    public async Task<SaveResult> CreateAsync(TargetInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var ownerType = input.OwnerType?.Trim();
        string? ownerName = null;
        if (ownerType is not (Cluster or MiniGrid))
        {
            errors["ownerType"] = "ownerType must be \"cluster\" or \"mini-grid\"";
        }
        else if (input.OwnerId is not { } ownerId)
        {
            errors["ownerId"] = $"ownerId is required: the {ownerType} the target is for";
        }
        else
        {
            ownerName = ownerType == Cluster
                ? await db.Clusters.Where(c => c.Id == ownerId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken)
                : await db.MiniGrids.Where(g => g.Id == ownerId).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);
            if (ownerName is null)
            {
                errors["ownerId"] = $"there is no {ownerType} {ownerId}";
            }
        }

        if (input.ValidUntil is null)
        {
            errors["validUntil"] = "validUntil is required: the date until which the target is valid";
        }

        var groups = await db.ConnectionTypes.Select(t => t.Id).ToListAsync(cancellationToken);
        var values = new List<TargetValueInput>();
        var seen = new HashSet<long>();
        var rows = input.Values ?? [];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { } value)
            {
                errors[$"values[{i}]"] = "a value must be an object";
                continue;
            }

            var prefix = $"values[{i}]";
            if (value.ConnectionTypeId is { } group && !groups.Contains(group))
            {
                errors[$"{prefix}.connectionTypeId"] = $"there is no customer group {group}";
            }
            else if (!seen.Add(value.ConnectionTypeId ?? 0))
            {
                errors[$"{prefix}.connectionTypeId"] = value.ConnectionTypeId is null ? "all customers are given twice" : $"customer group {value.ConnectionTypeId} is given twice";
            }

            if (value.NewConnections is < 0)
            {
                errors[$"{prefix}.newConnections"] = "newConnections must be 0 or more";
            }

            FieldRules.NotNegative(errors, $"{prefix}.revenue", "revenue", value.Revenue, 2, required: false);
            FieldRules.NotNegative(errors, $"{prefix}.connectedPower", "connectedPower", value.ConnectedPower, 2, required: false);
            FieldRules.NotNegative(errors, $"{prefix}.energyPerMonth", "energyPerMonth", value.EnergyPerMonth, 2, required: false);
            FieldRules.NotNegative(errors, $"{prefix}.averageRevenuePerCustomer", "averageRevenuePerCustomer", value.AverageRevenuePerCustomer, 2, required: false);
            if (!value.IsEmpty)
            {
                values.Add(value);
            }
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var record = new TargetRecord
        {
            OwnerType = ownerType!,
            ClusterId = ownerType == Cluster ? input.OwnerId : null,
            MiniGridId = ownerType == MiniGrid ? input.OwnerId : null,
            ValidUntil = input.ValidUntil!.Value,
            CreatedAt = clock.GetUtcNow(),
        };
        record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
        foreach (var value in values)
        {
            await db.InsertAsync(
                new TargetValueRecord
                {
                    TargetId = record.Id,
                    ConnectionTypeId = value.ConnectionTypeId,
                    NewConnections = value.NewConnections,
                    Revenue = value.Revenue,
                    ConnectedPower = value.ConnectedPower,
                    EnergyPerMonth = value.EnergyPerMonth,
                    AverageRevenuePerCustomer = value.AverageRevenuePerCustomer,
                },
                token: cancellationToken);
        }

        await audit.WriteAsync(actor, "target.create", $"target {record.Id}: {ownerType} {ownerName} until {record.ValidUntil:yyyy-MM-dd}, {values.Count} goal line(s)", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return SaveResult.Saved(record.Id);
    }

    /// <summary>Every target, the latest deadline first.</summary>
    public Task<List<TargetRow>> ListAsync(CancellationToken cancellationToken = default) => RowsAsync(db.GetTable<TargetRecord>(), cancellationToken);

    /// <summary>The targets of some mini-grids and clusters, for the dashboards.</summary>
    public async Task<List<Target>> ForOwnersAsync(IReadOnlyCollection<long> clusterIds, IReadOnlyCollection<long> miniGridIds, CancellationToken cancellationToken = default)
    {
        var targets = db.GetTable<TargetRecord>().Where(t => (t.ClusterId != null && clusterIds.Contains(t.ClusterId.Value)) || (t.MiniGridId != null && miniGridIds.Contains(t.MiniGridId.Value)));
        return (await RowsAsync(targets, cancellationToken)).Select(r => r.ToDomain()).ToList();
    }

    private async Task<List<TargetRow>> RowsAsync(IQueryable<TargetRecord> targets, CancellationToken cancellationToken)
    {
        var heads = await (
                from t in targets
                from g in db.MiniGrids.LeftJoin(g => g.Id == t.MiniGridId)
                from c in db.Clusters.LeftJoin(c => c.Id == (t.ClusterId ?? g.ClusterId))
                orderby t.ValidUntil descending, t.Id descending
                select new { t, MiniGrid = g.Name, Cluster = c.Name })
            .ToListAsync(cancellationToken);
        var ids = heads.Select(h => h.t.Id).ToList();
        var values = await (
                from v in db.GetTable<TargetValueRecord>()
                from k in db.ConnectionTypes.LeftJoin(k => k.Id == v.ConnectionTypeId)
                where ids.Contains(v.TargetId)
                orderby v.TargetId, k.Name
                select new { v, Group = k.Name })
            .ToListAsync(cancellationToken);
        var byTarget = values.ToLookup(x => x.v.TargetId);
        return heads.Select(h => new TargetRow(
                h.t.Id,
                h.t.OwnerType,
                h.t.ClusterId ?? h.t.MiniGridId ?? 0,
                h.t.OwnerType == Cluster ? h.Cluster : h.MiniGrid,
                h.Cluster,
                h.t.ValidUntil,
                h.t.CreatedAt,
                byTarget[h.t.Id]
                    .OrderBy(x => x.v.ConnectionTypeId is null ? 0 : 1)
                    .Select(x => new TargetValueRow(
                        x.v.ConnectionTypeId,
                        x.v.ConnectionTypeId is null ? AllCustomers : x.Group,
                        new TargetGoals(x.v.NewConnections, x.v.Revenue, x.v.ConnectedPower, x.v.EnergyPerMonth, x.v.AverageRevenuePerCustomer)))
                    .ToList()))
            .ToList();
    }
}
