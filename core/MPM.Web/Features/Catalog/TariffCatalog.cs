using LinqToDB;
using LinqToDB.Async;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Catalog;

public sealed record TariffComponentInput(string? Name, decimal? PricePerKWh);

/// <summary>A fixed amount owed every <see cref="PeriodDays"/> days; both or neither.</summary>
public sealed record AccessRateInput(decimal? Amount, int? PeriodDays);

public sealed record TariffInput(string? Name, decimal? PricePerKWh, IReadOnlyList<TariffComponentInput>? Components, decimal? MinimumPurchase, AccessRateInput? AccessRate);

public sealed record TariffComponent(string Name, decimal PricePerKWh);

public sealed record TariffRow(
    long Id, string Name, decimal PricePerKWh, IReadOnlyList<TariffComponent> Components, decimal MinimumPurchase, decimal? AccessRateAmount, int? AccessRatePeriodDays, int Meters)
{
    public decimal TotalPricePerKWh => Tariffs.TotalPricePerKWh(PricePerKWh, Components.Select(c => c.PricePerKWh));
}

/// <summary>
/// Tariffs: energy price per kWh, named per-kWh components, minimum purchase and an optional access rate.
/// A meter's access-rate account keeps the amount and period it was opened with: editing the tariff's access rate
/// changes what new meters get, not the accounts of meters already registered.
/// </summary>
public sealed class TariffCatalog(MpmDb db, TimeProvider clock, AuditLog audit)
{
    public const int PriceDecimals = 4;
    public const int AmountDecimals = 2;

    public async Task<List<TariffRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var components = (await db.TariffComponents.OrderBy(c => c.Id).ToListAsync(cancellationToken)).ToLookup(c => c.TariffId);
        var tariffs = await db.Tariffs.OrderBy(t => t.Name)
            .Select(t => new { Tariff = t, Meters = db.Meters.Count(m => m.TariffId == t.Id) })
            .ToListAsync(cancellationToken);
        return tariffs.Select(x => new TariffRow(
                x.Tariff.Id, x.Tariff.Name, x.Tariff.PricePerKWh, components[x.Tariff.Id].Select(c => new TariffComponent(c.Name, c.PricePerKWh)).ToList(),
                x.Tariff.MinimumPurchase, x.Tariff.AccessRateAmount, x.Tariff.AccessRatePeriodDays, x.Meters))
            .ToList();
    }

    public async Task<TariffInput?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var tariff = await db.Tariffs.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tariff is null)
        {
            return null;
        }

        var components = await db.TariffComponents.Where(c => c.TariffId == id).OrderBy(c => c.Id)
            .Select(c => new TariffComponentInput(c.Name, c.PricePerKWh)).ToListAsync(cancellationToken);
        var accessRate = tariff.AccessRateAmount is null ? null : new AccessRateInput(tariff.AccessRateAmount, tariff.AccessRatePeriodDays);
        return new TariffInput(tariff.Name, tariff.PricePerKWh, components, tariff.MinimumPurchase, accessRate);
    }

    /// <summary>Creates a tariff (<paramref name="id"/> null) or edits one; its components are replaced by the input's.</summary>
    public async Task<SaveResult> SaveAsync(long? id, TariffInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        var name = input.Name!.Trim();
        var accessRate = input.AccessRate is { Amount: not null } rate ? rate : null;
        return await Changes.SaveAsync(db, "name", $"a tariff named {name} already exists", async () =>
        {
            var record = id is null ? new TariffRecord { CreatedAt = clock.GetUtcNow() } : await db.Tariffs.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (record is null)
            {
                return null;
            }

            record.Name = name;
            record.PricePerKWh = input.PricePerKWh!.Value;
            record.MinimumPurchase = input.MinimumPurchase ?? 0;
            record.AccessRateAmount = accessRate?.Amount;
            record.AccessRatePeriodDays = accessRate?.PeriodDays;
            if (id is null)
            {
                record.Id = await db.InsertWithInt64IdentityAsync(record, token: cancellationToken);
            }
            else
            {
                await db.UpdateAsync(record, token: cancellationToken);
                await db.TariffComponents.Where(c => c.TariffId == record.Id).DeleteAsync(cancellationToken);
            }

            foreach (var component in input.Components ?? [])
            {
                await db.InsertAsync(new TariffComponentRecord { TariffId = record.Id, Name = component.Name!.Trim(), PricePerKWh = component.PricePerKWh!.Value }, token: cancellationToken);
            }

            var access = accessRate is null ? "no access rate" : $"access rate {accessRate.Amount} every {accessRate.PeriodDays} days";
            await audit.WriteAsync(actor, id is null ? "tariff.create" : "tariff.update",
                $"tariff {record.Id}: {name}, {record.PricePerKWh}/kWh, {input.Components?.Count ?? 0} component(s), minimum {record.MinimumPurchase}, {access}", cancellationToken);
            return record.Id;
        }, cancellationToken);
    }

    public static Dictionary<string, string> Validate(TariffInput input)
    {
        var errors = new Dictionary<string, string>();
        FieldRules.Name(errors, "name", input.Name);
        FieldRules.Positive(errors, "pricePerKWh", "price per kWh", input.PricePerKWh, PriceDecimals);
        FieldRules.NotNegative(errors, "minimumPurchase", "minimum purchase", input.MinimumPurchase, AmountDecimals, required: false);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (component, i) in (input.Components ?? []).Select((c, i) => (c, i)))
        {
            if (FieldRules.Name(errors, $"components[{i}].name", component.Name) is { } name && !names.Add(name))
            {
                errors[$"components[{i}].name"] = $"there is already a component named {name}";
            }

            FieldRules.NotNegative(errors, $"components[{i}].pricePerKWh", "price per kWh", component.PricePerKWh, PriceDecimals, required: true);
        }

        if (input.AccessRate is { } rate && (rate.Amount is not null || rate.PeriodDays is not null))
        {
            if (rate.Amount is null)
            {
                errors["accessRate.amount"] = "an access rate needs an amount as well as a period";
            }
            else
            {
                FieldRules.Positive(errors, "accessRate.amount", "access rate amount", rate.Amount, AmountDecimals);
            }

            if (rate.PeriodDays is null)
            {
                errors["accessRate.periodDays"] = "an access rate needs a period in days as well as an amount";
            }
            else if (rate.PeriodDays < 1)
            {
                errors["accessRate.periodDays"] = "the period must be 1 day or more";
            }
        }

        return errors;
    }
}
