using LinqToDB;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>The operator's name; currency (TZS) and time zone (Africa/Dar_es_Salaam) keep their defaults.</summary>
public sealed class OperatorSection(MpmDb db) : IDemoSection
{
    public const string Name = "Ziwa Power (demo)";

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        await db.InsertOrReplaceAsync(new OperatorSettingRecord { Key = "operator.name", Value = Name }, token: cancellationToken);
        context.OperatorName = Name;
    }
}
