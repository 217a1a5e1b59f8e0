using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Catalog;

public sealed record AssetTypeInput(string? Name, decimal? Price);

public sealed record AssetTypeRow(long Id, string Name, decimal Price, int Sold);

/// <summary>What can be sold to customers on a rate plan (water pump, milling machine…), with its price.</summary>
public sealed class AssetTypeCatalog(MpmDb db, AuditLog audit)
{
    public Task<List<AssetTypeRow>> ListAsync(CancellationToken cancellationToken = default) =>
        db.AssetTypes.OrderBy(a => a.Name).Select(a => new AssetTypeRow(a.Id, a.Name, a.Price, db.AssetSales.Count(s => s.AssetTypeId == a.Id))).ToListAsync(cancellationToken);

    public Task<AssetTypeInput?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        db.AssetTypes.Where(a => a.Id == id).Select(a => new AssetTypeInput(a.Name, a.Price)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Creates an asset type (<paramref name="id"/> null) or edits one. Sales already made keep their own cost.</summary>
    public async Task<SaveResult> SaveAsync(long? id, AssetTypeInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        FieldRules.NotNegative(errors, "price", "price", input.Price, TariffCatalog.AmountDecimals, required: true);
        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"an asset type named {name} already exists", async () =>
        {
            var record = id is null ? new AssetTypeRecord() : await db.AssetTypes.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name!;
            record.Price = input.Price!.Value;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
            }

            await audit.WriteAsync(actor, id is null ? "asset-type.create" : "asset-type.update", $"asset type {record.Id}: {name}, price {record.Price}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }
}
