using LinqToDB;
using LinqToDB.Async;
using MPM.Data;

namespace MPM.Web.Features;

/// <summary>The operator's currency code (operator settings), shown next to amounts.</summary>
public static class OperatorCurrency
{
    public const string Key = "operator.currency";

    public static async Task<string> GetAsync(MpmDb db, CancellationToken cancellationToken) =>
        await db.OperatorSettings.Where(s => s.Key == Key).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken) ?? "";
}
