using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Catalog;

/// <summary>The two ways customers are grouped: by connection type (targets, reports and bulk SMS use it) and by connection group.</summary>
public enum CustomerGroupKind
{
    ConnectionType,
    ConnectionGroup,
}

public sealed record CustomerGroupRow(long Id, string Name, int Meters);

/// <summary>Connection types and connection groups: list, add, rename. Names are unique within each kind.</summary>
public sealed class CustomerGroupCatalog(MpmDb db, AuditLog audit)
{
    public static string Label(CustomerGroupKind kind) => kind == CustomerGroupKind.ConnectionType ? "connection type" : "connection group";

    public Task<List<CustomerGroupRow>> ListAsync(CustomerGroupKind kind, CancellationToken cancellationToken = default) => kind == CustomerGroupKind.ConnectionType
        ? db.ConnectionTypes.OrderBy(t => t.Name).Select(t => new CustomerGroupRow(t.Id, t.Name, db.Meters.Count(m => m.ConnectionTypeId == t.Id))).ToListAsync(cancellationToken)
        : db.ConnectionGroups.OrderBy(g => g.Name).Select(g => new CustomerGroupRow(g.Id, g.Name, db.Meters.Count(m => m.ConnectionGroupId == g.Id))).ToListAsync(cancellationToken);

    public Task<string?> NameAsync(CustomerGroupKind kind, long id, CancellationToken cancellationToken = default) => kind == CustomerGroupKind.ConnectionType
        ? db.ConnectionTypes.Where(t => t.Id == id).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken)
        : db.ConnectionGroups.Where(g => g.Id == id).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Adds one (<paramref name="id"/> null) or renames one.</summary>
    public async Task<SaveResult> SaveAsync(CustomerGroupKind kind, long? id, string? name, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var trimmed = FieldRules.Name(errors, "name", name);
        if (trimmed is null)
        {
            return SaveResult.Invalid(errors);
        }

        var label = Label(kind);
        return await Changes.SaveAsync(db, "name", $"a {label} named {trimmed} already exists", async () =>
        {
            long? saved = (kind, id) switch
            {
                (CustomerGroupKind.ConnectionType, null) => await db.InsertWithInt64IdentityAsync(new ConnectionTypeRecord { Name = trimmed }, token: cancellationToken),
                (CustomerGroupKind.ConnectionType, { } typeId) => await db.ConnectionTypes.Where(t => t.Id == typeId).Set(t => t.Name, trimmed).UpdateAsync(cancellationToken) == 1 ? typeId : null,
                (_, null) => await db.InsertWithInt64IdentityAsync(new ConnectionGroupRecord { Name = trimmed }, token: cancellationToken),
                (_, { } groupId) => await db.ConnectionGroups.Where(g => g.Id == groupId).Set(g => g.Name, trimmed).UpdateAsync(cancellationToken) == 1 ? groupId : null,
            };
            if (saved is not null)
            {
                var action = $"{label.Replace(' ', '-')}.{(id is null ? "create" : "rename")}";
                await audit.WriteAsync(actor, action, $"{label} {saved}: {trimmed}", cancellationToken);
            }

            return saved;
        }, cancellationToken);
    }
}
