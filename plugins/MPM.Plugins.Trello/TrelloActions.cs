using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using MPM.Sdk;
using MPM.Sdk.Data;

namespace MPM.Plugins.Trello;

/// <summary>
/// The plugin's tables. <c>actions</c>: the Trello action ids of comments the platform posted (so that their webhook
/// echo is not added again) and of webhook actions already applied (so that a redelivery is applied once).
/// <c>own_comments</c>: one row per attempt to post a comment, claimed by the action that attempt made — so that the
/// echo of a comment whose answer was lost (a timeout, then the outbox's retry) or is still on its way is recognised too.
/// </summary>
public sealed class TrelloActions(IPluginDatabase database, TimeProvider clock)
{
    /// <summary>How long an attempt whose action is not known may claim a webhook comment with the same text.</summary>
    public static readonly TimeSpan ClaimWindow = TimeSpan.FromMinutes(10);

    private string Actions => $"{database.SchemaOf(TrelloPlugin.Id)}.actions";

    private string OwnComments => $"{database.SchemaOf(TrelloPlugin.Id)}.own_comments";

    /// <summary>Notes an attempt to post <paramref name="text"/> on the card, before it is sent.</summary>
    public async Task ExpectOwnCommentAsync(string cardId, string text, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(null, $"INSERT INTO {OwnComments} (card_id, text_hash, created_at) VALUES (@p0, @p1, @p2)",
            [cardId, Hash(text), clock.GetUtcNow()], cancellationToken);
    }

    /// <summary>Remembers the action of a comment the platform made, whose webhook echo must be ignored.</summary>
    public async Task RememberOwnAsync(string actionId, string cardId, string text, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(transaction,
            $"INSERT INTO {Actions} (action_id, card_id, origin, created_at) VALUES (@p0, @p1, 'own', @p2) ON CONFLICT (action_id) DO NOTHING",
            [actionId, cardId, clock.GetUtcNow()], cancellationToken);
        if (inserted == 1)
        {
            // Its echo has not claimed an attempt yet: this action claims one.
            await ClaimAsync(connection, transaction, actionId, cardId, text, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="apply"/> for an action not seen before, recording it in the same database transaction:
    /// a concurrent delivery of the same action waits on the row and then finds it; if <paramref name="apply"/>
    /// throws, nothing is recorded and a redelivery is applied. A comment (<paramref name="commentText"/> given) that
    /// claims an open attempt of the platform's is recorded as its own and not applied. Returns whether it ran.
    /// </summary>
    public async Task<bool> ApplyOnceAsync(string actionId, string cardId, string? commentText, Func<Task> apply, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(transaction,
            $"INSERT INTO {Actions} (action_id, card_id, origin, created_at) VALUES (@p0, @p1, 'received', @p2) ON CONFLICT (action_id) DO NOTHING",
            [actionId, cardId, clock.GetUtcNow()], cancellationToken);
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        if (commentText is not null && await ClaimAsync(connection, transaction, actionId, cardId, commentText, cancellationToken))
        {
            await connection.ExecuteAsync(transaction, $"UPDATE {Actions} SET origin = 'own' WHERE action_id = @p0", [actionId], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        await apply();
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Gives the oldest open, recent attempt to post this text on this card to the action; whether there was one.</summary>
    private async Task<bool> ClaimAsync(DbConnection connection, DbTransaction transaction, string actionId, string cardId, string text, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(transaction,
            $"""
            UPDATE {OwnComments} SET action_id = @p0
            WHERE id = (SELECT id FROM {OwnComments}
                        WHERE card_id = @p1 AND text_hash = @p2 AND action_id IS NULL AND created_at > @p3
                        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            """,
            [actionId, cardId, Hash(text), clock.GetUtcNow() - ClaimWindow], cancellationToken) == 1;

    /// <summary>The text as Trello keeps it (line ends as \n, no surrounding blanks), hashed.</summary>
    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TrelloApi.Clip(text).ReplaceLineEndings("\n").Trim())));
}
