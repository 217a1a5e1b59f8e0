using System.Globalization;

namespace MPM.Web.Shell;

/// <summary>How pages show numbers: money with 2 decimals, prices per kWh with 2 to 4.</summary>
public static class Formats
{
    public static string Amount(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string PricePerKWh(decimal value) => value.ToString("#,0.00##", CultureInfo.InvariantCulture);
}
