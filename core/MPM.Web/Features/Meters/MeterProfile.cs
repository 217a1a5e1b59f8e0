using LinqToDB;
using LinqToDB.Async;
using LinqToDB.DataProvider.PostgreSQL;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features.Customers;
using MPM.Web.Security;

namespace MPM.Web.Features.Meters;

/// <param name="PricePerKWh">The tariff's total price per kWh (base price and components).</param>
/// <param name="Readings">The latest readings, oldest first.</param>
public sealed record MeterProfileView(
    MeterRecord Meter,
    CustomerRecord Owner,
    TariffRecord Tariff,
    decimal PricePerKWh,
    string Manufacturer,
    string Village,
    string MiniGrid,
    string? ConnectionType,
    string? ConnectionGroup,
    AccessRateAccountRecord? AccessRate,
    string Currency,
    IReadOnlyList<MeterReadingRecord> Readings);

public sealed record TariffOption(long Id, string Name);

/// <summary>A meter's details page, and the changes operators make to a meter: its tariff, whether it is in use.</summary>
public sealed class MeterProfile(MpmDb db, AuditLog audit, TimeProvider clock)
{
    public const int ReadingsShown = 100;

    public async Task<MeterProfileView?> LoadAsync(long id, CancellationToken cancellationToken = default)
    {
        var row = await (
                from m in db.Meters
                join c in db.Customers on m.CustomerId equals c.Id
                join t in db.Tariffs on m.TariffId equals t.Id
                join f in db.Manufacturers on m.ManufacturerId equals f.Id
                join v in db.Villages on m.VillageId equals v.Id
                join g in db.MiniGrids on v.MiniGridId equals g.Id
                from ct in db.ConnectionTypes.Where(x => x.Id == m.ConnectionTypeId).DefaultIfEmpty()
                from cg in db.ConnectionGroups.Where(x => x.Id == m.ConnectionGroupId).DefaultIfEmpty()
                from account in db.AccessRateAccounts.Where(x => x.MeterId == m.Id).DefaultIfEmpty()
                where m.Id == id
                select new { Meter = m, Owner = c, Tariff = t, Manufacturer = f.Name, Village = v.Name, MiniGrid = g.Name, ConnectionType = ct.Name, ConnectionGroup = cg.Name, Account = account })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var components = await db.TariffComponents.Where(c => c.TariffId == row.Tariff.Id).Select(c => c.PricePerKWh).ToListAsync(cancellationToken);
        var readings = await db.MeterReadings.Where(r => r.MeterId == id).OrderByDescending(r => r.ReadAt).Take(ReadingsShown).ToListAsync(cancellationToken);
        readings.Reverse();
        return new MeterProfileView(
            row.Meter, row.Owner, row.Tariff, Tariffs.TotalPricePerKWh(row.Tariff.PricePerKWh, components), row.Manufacturer, row.Village, row.MiniGrid,
            row.ConnectionType, row.ConnectionGroup, row.Account, await OperatorCurrency.GetAsync(db, cancellationToken), readings);
    }

    public Task<List<TariffOption>> TariffsAsync(CancellationToken cancellationToken = default) =>
        db.Tariffs.OrderBy(t => t.Name).Select(t => new TariffOption(t.Id, t.Name)).ToListAsync(cancellationToken);

    /// <summary>
    /// Moves the meter to another tariff. Its access-rate account follows the new tariff: opened as at registration when
    /// there was none, re-priced when there was one. A tariff without an access rate keeps the account and its debt (still
    /// owed, paid by later payments) but charges nothing more: its amount becomes 0.
    /// </summary>
    public async Task<ChangeResult> ChangeTariffAsync(long meterId, long? tariffId, string actor, CancellationToken cancellationToken = default)
    {
        if (tariffId is null)
        {
            return new ChangeResult(new Dictionary<string, string> { ["tariffId"] = "tariff is required" });
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var meter = await db.Meters.Where(m => m.Id == meterId).AsPostgreSQL().ForUpdateHint().FirstOrDefaultAsync(cancellationToken);
        if (meter is null)
        {
            return ChangeResult.Missing;
        }

        var tariff = await db.Tariffs.FirstOrDefaultAsync(t => t.Id == tariffId, cancellationToken);
        if (tariff is null)
        {
            return new ChangeResult(new Dictionary<string, string> { ["tariffId"] = $"tariff {tariffId} does not exist" });
        }

        if (tariff.Id == meter.TariffId)
        {
            return ChangeResult.Done;
        }

        var oldTariff = await db.Tariffs.Where(t => t.Id == meter.TariffId).Select(t => t.Name).FirstAsync(cancellationToken);
        await db.Meters.Where(m => m.Id == meterId).Set(m => m.TariffId, tariff.Id).UpdateAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var account = await db.AccessRateAccounts.FirstOrDefaultAsync(a => a.MeterId == meterId, cancellationToken);
        if (account is null)
        {
            await Registration.OpenAccessRateAccountAsync(db, meterId, tariff, today, cancellationToken);
        }
        else if (tariff is { AccessRateAmount: { } amount, AccessRatePeriodDays: { } days })
        {
            // An account that charged nothing (an earlier tariff without access rate) starts afresh, so that no period
            // of the free time is charged.
            var nextDue = account.Amount == 0 ? AccessRate.Open(today, days).NextDue : account.NextDue;
            await db.AccessRateAccounts.Where(a => a.MeterId == meterId)
                .Set(a => a.Amount, amount).Set(a => a.PeriodDays, days).Set(a => a.NextDue, nextDue)
                .UpdateAsync(cancellationToken);
        }
        else
        {
            await db.AccessRateAccounts.Where(a => a.MeterId == meterId).Set(a => a.Amount, 0m).UpdateAsync(cancellationToken);
        }

        await audit.WriteAsync(actor, "meter.tariff-changed", $"meter {meter.SerialNumber}: tariff {oldTariff} → {tariff.Name}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult.Done;
    }

    public async Task<ChangeResult> SetInUseAsync(long meterId, bool inUse, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var serial = await db.Meters.Where(m => m.Id == meterId).Select(m => m.SerialNumber).FirstOrDefaultAsync(cancellationToken);
        if (serial is null)
        {
            return ChangeResult.Missing;
        }

        await db.Meters.Where(m => m.Id == meterId).Set(m => m.InUse, inUse).UpdateAsync(cancellationToken);
        await audit.WriteAsync(actor, "meter.in-use", $"meter {serial} {(inUse ? "back in use" : "marked not in use")}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult.Done;
    }
}
