using LinqToDB;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>Connection types (what targets and reports break customers down by), their connection groups and tariffs.</summary>
public sealed class CustomerGroupsSection(MpmDb db) : IDemoSection
{
    public const string Residential = "Residential";
    public const string Commercial = "Commercial";
    public const string ProductiveUse = "Productive use";
    public const string Institution = "Institution";

    private static readonly (string Type, int Weight, string Tariff, string[] Groups)[] Segments =
    [
        (Residential, 75, TariffsSection.Household, ["Household"]),
        (Commercial, 15, TariffsSection.Business, ["Shop", "Bar and restaurant", "Mobile money agent"]),
        (ProductiveUse, 6, TariffsSection.ProductiveUse, ["Milling", "Welding workshop", "Tailoring", "Fish cold storage"]),
        (Institution, 4, TariffsSection.Institution, ["School", "Health centre", "Place of worship"]),
    ];

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        foreach (var (typeName, weight, tariff, groupNames) in Segments)
        {
            var type = new ConnectionTypeRecord { Name = typeName };
            type.Id = await db.InsertWithInt64IdentityAsync(type, token: cancellationToken);
            var groups = new List<ConnectionGroupRecord>();
            foreach (var groupName in groupNames)
            {
                var group = new ConnectionGroupRecord { Name = groupName };
                group.Id = await db.InsertWithInt64IdentityAsync(group, token: cancellationToken);
                groups.Add(group);
            }

            context.Segments.Add(new DemoSegment(type, groups, context.Tariffs[tariff], weight));
        }
    }
}
