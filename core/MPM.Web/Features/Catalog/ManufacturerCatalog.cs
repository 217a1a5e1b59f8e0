using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk;
using MPM.Web.Plugins;
using MPM.Web.Security;
using MPM.Web.Settings;
using Npgsql;

namespace MPM.Web.Features.Catalog;

public sealed record ManufacturerInput(string? Name, string? TokenGenerator);

public sealed record ManufacturerRow(long Id, string Name, string TokenGenerator, int Meters);

/// <summary>A token generator plugin an operator can pick for a manufacturer.</summary>
public sealed record TokenGeneratorChoice(string Id, string Name);

/// <summary>
/// Meter manufacturers and the token generator plugin that serves each. The plugin's per-manufacturer settings live in
/// <see cref="MPM.Web.Settings.PluginSettingsStore"/> under <see cref="MPM.Web.Settings.PluginSettingsStore.ManufacturerScope"/>.
/// </summary>
public sealed class ManufacturerCatalog(MpmDb db, PluginHost plugins, PluginSettingsStore settings, TimeProvider clock, AuditLog audit)
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
        var (name, generator) = Validate(input, errors);
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

    /// <summary>
    /// Creates a manufacturer together with its token generator's settings for it (keyed as the plugin declares them;
    /// one left out takes the plugin's default), in one transaction: both are stored or neither. Errors in the settings
    /// are keyed "settings.&lt;key&gt;".
    /// </summary>
    public async Task<SaveResult> CreateWithSettingsAsync(ManufacturerInput input, IReadOnlyDictionary<string, string?> values, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var (name, generator) = Validate(input, errors);
        var declared = generator is null ? [] : plugins.Find(generator)!.Settings.Where(s => s.Scope == PluginSettingScope.Manufacturer).ToList();
        foreach (var key in generator is null ? [] : values.Keys.Where(k => declared.All(s => s.Key != k)))
        {
            errors[$"settings.{key}"] = $"{generator} has no manufacturer setting '{key}'";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        var complete = declared.ToDictionary(s => s.Key, s => values.TryGetValue(s.Key, out var value) ? value : s.DefaultValue);
        try
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            var id = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = name!, TokenGenerator = generator!, CreatedAt = clock.GetUtcNow() }, token: cancellationToken);
            await audit.WriteAsync(actor, "manufacturer.create", $"manufacturer {id}: {name}, token generator {generator}", cancellationToken);
            var problems = await settings.SaveAsync(generator!, PluginSettingsStore.ManufacturerScope(id), complete, actor, cancellationToken);
            if (problems.Count > 0)
            {
                return SaveResult.Invalid(problems.ToDictionary(p => $"settings.{p.Key}", p => p.Value));
            }

            await transaction.CommitAsync(cancellationToken);
            return SaveResult.Saved(id);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return SaveResult.Invalid("name", $"a manufacturer named {name} already exists") with { Duplicate = true };
        }
    }

    private (string? Name, string? Generator) Validate(ManufacturerInput input, Dictionary<string, string> errors)
    {
        var name = FieldRules.Name(errors, "name", input.Name);
        var generator = input.TokenGenerator?.Trim();
        if (string.IsNullOrEmpty(generator))
        {
            errors["tokenGenerator"] = "tokenGenerator is required";
            return (name, null);
        }

        if (TokenGenerators().All(c => c.Id != generator))
        {
            errors["tokenGenerator"] = $"'{generator}' is not an active token generator plugin";
            return (name, null);
        }

        return (name, generator);
    }
}
