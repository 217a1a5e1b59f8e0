using System.Data.Common;
using MPM.Sdk;
using MPM.Sdk.Data;

namespace MPM.Plugins.Trello;

/// <summary>
/// Table <c>actions</c> in the plugin's schema: the Trello action ids of comments the platform posted (so that their
/// webhook echo is not added again) and of webhook actions already applied (so that a redelivery is applied once).
/// </summary>
public sealed class TrelloActions(IPluginDatabase database, TimeProvider clock)
{
    private string Table => $"{database.SchemaOf(TrelloPlugin.Id)}.actions";

    /// <summary>Remembers a comment the platform made, whose webhook echo must be ignored.</summary>
    public async Task RememberOwnAsync(string actionId, string cardId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"INSERT INTO {Table} (action_id, card_id, origin, created_at) VALUES (@p0, @p1, 'own', @p2) ON CONFLICT (action_id) DO NOTHING",
            [actionId, cardId, clock.GetUtcNow()], cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="apply"/> for an action not seen before, recording it in the same database transaction:
    /// a concurrent delivery of the same action waits on the row and then finds it; if <paramref name="apply"/>
    /// throws, nothing is recorded and a redelivery is applied. Returns whether it ran.
    /// </summary>
    public async Task<bool> ApplyOnceAsync(string actionId, string cardId, Func<Task> apply, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(transaction,
            $"INSERT INTO {Table} (action_id, card_id, origin, created_at) VALUES (@p0, @p1, 'received', @p2) ON CONFLICT (action_id) DO NOTHING",
            [actionId, cardId, clock.GetUtcNow()], cancellationToken);
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await apply();
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
