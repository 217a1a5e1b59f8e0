using LinqToDB.Async;
using MPM.Core;
using MPM.Data;
using MPM.Web.Security;

namespace MPM.Web.Demo;

/// <summary>
/// The README's run command on an empty embedded database seeds the demo operator and creates its admin login, so that
/// a first look shows real pages. Never for an external database, nor when any user or customer exists.
/// </summary>
public sealed class DemoFirstStart(Database database, MpmDb db, UserService users, DemoSeeder seeder, ILogger<DemoFirstStart> logger)
{
    public const string AdminEmail = "admin@demo.local";

    /// <summary>Fixed and documented: it only ever guards demo data in a local, embedded database.</summary>
    public const string AdminPassword = "demo-admin";

    /// <summary>Seeds and creates the demo login when the database is an empty embedded one; the summary when it did.</summary>
    public async Task<DemoSummary?> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (!database.IsEmbedded || await users.AnyAsync(cancellationToken) || await db.Customers.AnyAsync(cancellationToken))
        {
            return null;
        }

        DemoSummary summary;
        try
        {
            summary = await seeder.SeedAsync(new DemoOptions(), cancellationToken);
        }
        catch (DemoRefusedException e)
        {
            logger.LogWarning("No demo data: {Reason}", e.Message);
            return null;
        }

        var (user, errors) = await users.AddAsync(AdminEmail, AdminPassword, Roles.Admin, "demo", cancellationToken);
        if (user is null)
        {
            logger.LogWarning("The demo login was not created: {Errors}", string.Join("; ", errors));
        }

        return summary;
    }

    public async Task<bool> DemoLoginExistsAsync(CancellationToken cancellationToken) =>
        database.IsEmbedded && await users.FindAsync(AdminEmail, cancellationToken) is not null;
}
