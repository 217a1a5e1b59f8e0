using System.Globalization;
using MPM.Sdk.Registration;

namespace MPM.Plugins.RegistrationApp;

/// <summary>
/// The seven lists in the shapes the app parses strictly: 32-bit integer ids, <c>online</c> as 0 or 1, the tariff
/// price as an integer, names unique within a list (the app maps a chosen name back to the first equal one).
/// </summary>
public static class AppLists
{
    /// <summary>The platform serves one country.</summary>
    public const int CountryId = 1;

    public static IEnumerable<object> Manufacturers(FieldCatalog catalog) => catalog.Manufacturers.Select(m => new { id = m.Id, name = m.Name });

    public static IEnumerable<object> MeterTypes(FieldCatalog catalog) =>
        catalog.MeterTypes.Select(t => new { id = t.Id, name = t.Name, online = t.Online ? 1 : 0, phase = t.Phase, max_current = t.MaxCurrent });

    public static IEnumerable<object> Tariffs(FieldCatalog catalog) =>
        catalog.Tariffs.Select(t => new { id = t.Id, name = t.Name, price = (long)decimal.Round(t.PricePerKWh, 0, MidpointRounding.AwayFromZero), currency = catalog.Currency });

    /// <summary>Villages; a name that two mini-grids share gets its mini-grid's name after it.</summary>
    public static IEnumerable<object> Cities(FieldCatalog catalog)
    {
        var shared = catalog.Villages.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return catalog.Villages.Select(v => new
        {
            id = v.Id,
            name = shared.Contains(v.Name) ? string.Create(CultureInfo.InvariantCulture, $"{v.Name} ({v.MiniGrid})") : v.Name,
            country_id = CountryId,
        });
    }

    public static IEnumerable<object> ConnectionGroups(FieldCatalog catalog) => catalog.ConnectionGroups.Select(g => new { id = g.Id, name = g.Name });

    public static IEnumerable<object> ConnectionTypes(FieldCatalog catalog) => catalog.ConnectionTypes.Select(t => new { id = t.Id, name = t.Name });

    /// <summary>The platform has no sub-types: each connection type is its own single sub-type, with the same id.</summary>
    public static IEnumerable<object> SubConnectionTypes(FieldCatalog catalog) =>
        catalog.ConnectionTypes.Select(t => new { id = t.Id, name = t.Name, connection_type_id = t.Id });
}
