using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Features.Catalog;

public sealed record ManufacturerInput(string? Name, string? TokenGenerator);

public sealed record ManufacturerRow(long Id, string Name, string TokenGenerator, int Meters);

/// <summary>A token generator plugin an operator can pick for a manufacturer.</summary>
public sealed record TokenGeneratorChoice(string Id, string Name);

/// <summary>
/// Meter manufacturers and the token generator plugin that serves each. The plugin's per-manufacturer settings live in
/// <see cref="MPM.Web.Settings.PluginSettingsStore"/> under <see cref="MPM.Web.Settings.PluginSettingsStore.ManufacturerScope"/>.
/// </summary>
public sealed class ManufacturerCatalog(MpmDb db, PluginHost plugins, TimeProvider clock, AuditLog audit)
{
    /// <summary>The active plugins whose manifest says they generate tokens.</summary>
    public IReadOnlyList<TokenGeneratorChoice> TokenGenerators() =>
        plugins.Active.Where(p => p.Manifest!.Kinds.Contains(PluginKinds.Token)).Select(p => new TokenGeneratorChoice(p.Id, p.Manifest!.Name)).OrderBy(c => c.Name).ToList();

    public Task<List<ManufacturerRow>> ListAsync(CancellationToken cancellationToken = default) =>
        db.Manufacturers.OrderBy(m => m.Name).Select(m => new ManufacturerRow(m.Id, m.Name, m.TokenGenerator, db.Meters.Count(x => x.ManufacturerId == m.Id))).ToListAsync(cancellationToken);

    public Task<ManufacturerRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        db.Manufacturers.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);

    /// <summary>Creates a manufacturer (<paramref name="id"/> null) or edits one.</summary>
    public async Task<SaveResult> SaveAsync(long? id, ManufacturerInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        var generator = input.TokenGenerator?.Trim();
        if (string.IsNullOrEmpty(generator))
        {
            errors["tokenGenerator"] = "tokenGenerator is required";
        }
        else if (TokenGenerators().All(c => c.Id != generator))
        {
            errors["tokenGenerator"] = $"'{generator}' is not an active token generator plugin";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"a manufacturer named {name} already exists", async () =>
        {
            var record = id is null ? new ManufacturerRecord { CreatedAt = clock.GetUtcNow() } : await db.Manufacturers.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name!;
            record.TokenGenerator = generator!;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
            }

            await audit.WriteAsync(actor, id is null ? "manufacturer.create" : "manufacturer.update", $"manufacturer {record.Id}: {name}, token generator {generator}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }
}
