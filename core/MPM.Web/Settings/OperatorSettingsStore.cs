using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Operator;
using MPM.Web.Security;

namespace MPM.Web.Settings;

/// <summary>The operator's name, currency (ISO 4217 code) and time zone (IANA id).</summary>
public sealed record OperatorSettings(string? Name, string? Currency, string? TimeZone);

/// <summary>The operator-wide settings in operator_settings (seeded by the migration that created it).</summary>
public sealed partial class OperatorSettingsStore(MpmDb db, AuditLog audit, OperatorProfile profile)
{
    public const string NameKey = "operator.name";
    public const string CurrencyKey = "operator.currency";
    public const string TimeZoneKey = "operator.timezone";

    public async Task<OperatorSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var values = await db.OperatorSettings.ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        return new OperatorSettings(values.GetValueOrDefault(NameKey), values.GetValueOrDefault(CurrencyKey), values.GetValueOrDefault(TimeZoneKey));
    }

    /// <summary>Validates and saves all three; returns problems keyed by field ("name", "currency", "timeZone").</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(OperatorSettings input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        var currency = input.Currency?.Trim().ToUpperInvariant();
        var timeZone = input.TimeZone?.Trim();

        if (currency is null || !CurrencyPattern().IsMatch(currency))
        {
            errors["currency"] = "currency must be a 3-letter ISO 4217 code, e.g. TZS";
        }

        if (timeZone is null || !TimeZoneIdPattern().IsMatch(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors["timeZone"] = "time zone must be an IANA time zone id, e.g. Africa/Dar_es_Salaam";
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var before = await GetAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        foreach (var (key, value) in new[] { (NameKey, name!), (CurrencyKey, currency!), (TimeZoneKey, timeZone!) })
        {
            await db.InsertOrReplaceAsync(new OperatorSettingRecord { Key = key, Value = value }, token: cancellationToken);
        }

        await audit.WriteAsync(actor, "operator.settings", $"name '{before.Name}' → '{name}', currency {before.Currency} → {currency}, time zone {before.TimeZone} → {timeZone}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        profile.Invalidate();
        return errors;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    // An IANA id names a file under the zone database: letters, digits, '_', '-', '+' and '/'-separated parts.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")]
    private static partial Regex TimeZoneIdPattern();
}
