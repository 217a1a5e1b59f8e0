using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Features.Customers;

/// <param name="TotalCost">Empty means the asset type's price.</param>
/// <param name="RatePeriod">"weekly" or "monthly".</param>
public sealed record SaleInput(long? AssetTypeId, decimal? TotalCost, decimal? DownPayment, int? RateCount, string? RatePeriod, DateOnly? FirstPaymentDate);

public sealed record SoldAsset(AssetSaleRecord Sale, string AssetType, IReadOnlyList<AssetRateRecord> Rates)
{
    public decimal Paid => Rates.Sum(r => r.Paid);

    public decimal Remaining => Rates.Sum(r => r.Amount - r.Paid);
}

/// <summary>Assets sold to a customer on a rate plan: the sale and its schedule (<see cref="AssetSchedule"/>), stored together.</summary>
public sealed class AssetSales(MpmDb db, AuditLog audit, TimeProvider clock)
{
    public const int MaxRateCount = 520;

    /// <summary>What numeric(14,2) holds.</summary>
    public const decimal MaxAmount = 999_999_999_999.99m;

    public Task<List<AssetTypeRecord>> TypesAsync(CancellationToken cancellationToken = default) =>
        db.AssetTypes.OrderBy(t => t.Name).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<SoldAsset>> ForCustomerAsync(long customerId, CancellationToken cancellationToken = default)
    {
        var sales = await (
                from s in db.AssetSales
                join t in db.AssetTypes on s.AssetTypeId equals t.Id
                where s.CustomerId == customerId
                orderby s.SoldAt descending, s.Id descending
                select new { Sale = s, Type = t.Name })
            .ToListAsync(cancellationToken);
        var ids = sales.Select(s => s.Sale.Id).ToList();
        var rates = (await db.AssetRates.Where(r => ids.Contains(r.AssetSaleId)).OrderBy(r => r.Number).ToListAsync(cancellationToken))
            .ToLookup(r => r.AssetSaleId);
        return sales.Select(s => new SoldAsset(s.Sale, s.Type, rates[s.Sale.Id].ToList())).ToList();
    }

    public async Task<ChangeResult> SellAsync(long customerId, SaleInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        if (input.AssetTypeId is null)
        {
            errors["sale.assetTypeId"] = "asset type is required";
        }

        if (input.TotalCost <= 0)
        {
            errors["sale.totalCost"] = "total cost must be more than 0";
        }
        else
        {
            AmountProblem(errors, "sale.totalCost", "total cost", input.TotalCost);
        }

        AmountProblem(errors, "sale.downPayment", "down payment", input.DownPayment);
        if (input.RateCount is null)
        {
            errors["sale.rateCount"] = "number of rates is required";
        }
        else if (input.RateCount is < 1 or > MaxRateCount)
        {
            errors["sale.rateCount"] = $"number of rates must be between 1 and {MaxRateCount}";
        }

        if (input.RatePeriod is not ("weekly" or "monthly"))
        {
            errors["sale.ratePeriod"] = "rate period must be weekly or monthly";
        }

        if (input.FirstPaymentDate is null)
        {
            errors["sale.firstPaymentDate"] = "first payment date is required";
        }

        if (errors.Count > 0)
        {
            return new ChangeResult(errors);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        if (await CustomerProfile.LockAsync(db, customerId, cancellationToken) is null)
        {
            return ChangeResult.Missing;
        }

        var type = await db.AssetTypes.FirstOrDefaultAsync(t => t.Id == input.AssetTypeId, cancellationToken);
        if (type is null)
        {
            errors["sale.assetTypeId"] = $"asset type {input.AssetTypeId} does not exist";
            return new ChangeResult(errors);
        }

        var total = input.TotalCost ?? type.Price;
        var downPayment = input.DownPayment ?? 0m;
        if (total <= 0)
        {
            errors["sale.totalCost"] = $"total cost must be more than 0 ({type.Name} has no price)";
            return new ChangeResult(errors);
        }

        if (downPayment > total)
        {
            errors["sale.downPayment"] = "down payment cannot be more than the total cost";
            return new ChangeResult(errors);
        }

        var period = AssetSchedule.ParsePeriod(input.RatePeriod!);
        var schedule = AssetSchedule.Build(total, downPayment, input.RateCount!.Value, period, input.FirstPaymentDate!.Value);
        var saleId = await db.InsertWithInt64IdentityAsync(new AssetSaleRecord
        {
            CustomerId = customerId,
            AssetTypeId = type.Id,
            TotalCost = total,
            DownPayment = downPayment,
            RateCount = schedule.Count,
            RatePeriod = AssetSchedule.Name(period),
            FirstPaymentDate = input.FirstPaymentDate.Value,
            SoldAt = clock.GetUtcNow(),
        }, token: cancellationToken);
        await db.BulkCopyAsync(schedule.Select(r => new AssetRateRecord { AssetSaleId = saleId, Number = r.Number, DueDate = r.DueDate, Amount = r.Amount, Paid = 0m }), cancellationToken);
        await audit.WriteAsync(actor, "asset.sold", $"customer {customerId}: {type.Name} for {total} ({downPayment} down, {schedule.Count} {AssetSchedule.Name(period)} rates)", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult.Done;
    }

    private static void AmountProblem(Dictionary<string, string> errors, string field, string label, decimal? amount)
    {
        if (amount is < 0 or > MaxAmount)
        {
            errors[field] = $"{label} must be between 0 and {MaxAmount:N2}";
        }
        else if (amount is { } value && decimal.Round(value, 2) != value)
        {
            errors[field] = $"{label} has at most 2 decimals";
        }
    }
}
