namespace MPM.Core.Domain;

public static class Tariffs
{
    /// <summary>The price a customer pays per kWh: the base price plus every named component (levies etc.).</summary>
    public static decimal TotalPricePerKWh(decimal pricePerKWh, IEnumerable<decimal> componentPrices) =>
        pricePerKWh + componentPrices.Sum();
}
