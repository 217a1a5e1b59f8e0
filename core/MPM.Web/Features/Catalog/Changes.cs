using MPM.Data;
using Npgsql;

namespace MPM.Web.Features.Catalog;

public static class Changes
{
    /// <summary>
    /// Runs a write and its audit entry in one transaction. The write returns the record's id, or null when the record
    /// to edit does not exist. A unique-name violation becomes the error <paramref name="duplicate"/> on
    /// <paramref name="field"/>: the database, not an earlier look-up, decides, so two concurrent saves cannot both win.
    /// </summary>
    public static async Task<SaveResult> SaveAsync(MpmDb db, string field, string duplicate, Func<Task<long?>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            if (await write() is not { } id)
            {
                return SaveResult.Missing;
            }

            await transaction.CommitAsync(cancellationToken);
            return SaveResult.Saved(id);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return SaveResult.Invalid(field, duplicate) with { Duplicate = true };
        }
    }
}
