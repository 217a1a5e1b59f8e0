using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Catalog;

public sealed record MeterTypeInput(string? Name, int? Phase, int? MaxCurrent, bool Online);

public sealed record MeterTypeRow(long Id, string Name, int Phase, int MaxCurrent, bool Online, int Meters);

/// <summary>Kinds of meter by supply: phases, maximum current, and whether it is online (smart) or keypad-only.</summary>
public sealed class MeterTypeCatalog(MpmDb db, AuditLog audit)
{
    public const int MaxCurrentLimit = 1000;

    public Task<List<MeterTypeRow>> ListAsync(CancellationToken cancellationToken = default) =>
        db.MeterTypes.OrderBy(t => t.Name)
            .Select(t => new MeterTypeRow(t.Id, t.Name, t.Phase, t.MaxCurrent, t.Online, db.Meters.Count(m => m.MeterTypeId == t.Id)))
            .ToListAsync(cancellationToken);

    public Task<MeterTypeInput?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        db.MeterTypes.Where(t => t.Id == id).Select(t => new MeterTypeInput(t.Name, t.Phase, t.MaxCurrent, t.Online)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Creates a meter type (<paramref name="id"/> null) or edits one.</summary>
    public async Task<SaveResult> SaveAsync(long? id, MeterTypeInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        if (input.Phase is not (1 or 3))
        {
            errors["phase"] = "phase must be 1 or 3";
        }

        if (input.MaxCurrent is not (> 0 and <= MaxCurrentLimit))
        {
            errors["maxCurrent"] = $"maximum current must be a whole number of amperes from 1 to {MaxCurrentLimit}";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"a meter type named {name} already exists", async () =>
        {
            var record = id is null ? new MeterTypeRecord() : await db.MeterTypes.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name!;
            record.Phase = input.Phase!.Value;
            record.MaxCurrent = input.MaxCurrent!.Value;
            record.Online = input.Online;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
            }

            await audit.WriteAsync(actor, id is null ? "meter-type.create" : "meter-type.update",
                $"meter type {record.Id}: {name}, {record.Phase} phase, {record.MaxCurrent} A, {(record.Online ? "online" : "offline")}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }
}
