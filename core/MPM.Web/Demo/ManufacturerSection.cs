using LinqToDB;
using MPM.Data;
using MPM.Web.Settings;

namespace MPM.Web.Demo;

/// <summary>An STS meter manufacturer served by the STS plugin, with a demo vending key stored (encrypted) in its settings.</summary>
public sealed class ManufacturerSection(MpmDb db, PluginSettingsStore settings) : IDemoSection
{
    public const string Name = "Demo STS meters";
    public const string TokenGenerator = "sts";

    /// <summary>The STS manufacturer code that starts every demo meter number.</summary>
    public const string ManufacturerCode = "47";

    /// <summary>A published demo key (DKGA04: 40 hex digits): tokens made with it are for the demo only.</summary>
    public const string DemoVendingKey = "3A1F5C7E9B2D4068ACE13579BDF02468ACE13579";

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["vendingKey"] = DemoVendingKey,
        ["keyGeneration"] = "04",
        ["encryption"] = "11",
        ["supplyGroupCode"] = "123457",
        ["tariffIndex"] = "1",
        ["keyRevision"] = "1",
        ["keyType"] = "2",
        ["baseDate"] = "2014",
    };

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var id = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = Name, TokenGenerator = TokenGenerator, CreatedAt = context.Start.AddMonths(-1) }, token: cancellationToken);
        var errors = await settings.SaveAsync(TokenGenerator, PluginSettingsStore.ManufacturerScope(id), Settings, "demo", cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"the demo STS settings were refused: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
        }

        context.ManufacturerId = id;
    }
}
