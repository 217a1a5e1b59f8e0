using System.Data;
using System.Data.Common;
using System.Globalization;
using MPM.Plugins.Sts.Engine;
using MPM.Sdk;
using MPM.Sdk.Data;

namespace MPM.Plugins.Sts.Vending;

public sealed record IssuedToken(string Token, string Kind, int Subclass, decimal Value, int Tid, DateTime IssuedAt, long? TransactionId, string RequestedBy);

/// <summary>
/// Issues tokens for meters and records each one. Every token of a meter gets a TID above the meter's last one
/// (two tokens in the same minute: the second takes the next minute), decided under a row lock so concurrent
/// vends for one meter never share a TID. A credit token is issued once per transaction; asking again returns it.
/// </summary>
public sealed class StsVending(IPluginDatabase database, TimeProvider clock)
{
    public async Task<IssuedToken> CreditAsync(long transactionId, string meterSerial, decimal energyKWh, StsSettings settings, CancellationToken cancellationToken)
    {
        var key = settings.KeyFor(meterSerial);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var existing = await ReadAsync(connection, transaction, "WHERE transaction_id = @p0", [transactionId], cancellationToken);
        if (existing.Count > 0)
        {
            return existing[0];
        }

        var (tid, issued) = await NextTidAsync(connection, transaction, meterSerial, settings.BaseDate, cancellationToken);
        var token = StsTokens.Credit(key, settings.BaseDate, issued, CreditSubclass.Electricity, energyKWh, StsTokens.DrawRnd());
        var result = new IssuedToken(token, "credit", (int)CreditSubclass.Electricity, energyKWh, tid, issued, transactionId, "payment");
        await InsertAsync(connection, transaction, meterSerial, result, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<IssuedToken> ManagementAsync(string meterSerial, ManagementSubclass subclass, long value, StsSettings settings, string requestedBy, CancellationToken cancellationToken)
    {
        var key = settings.KeyFor(meterSerial);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var (tid, issued) = await NextTidAsync(connection, transaction, meterSerial, settings.BaseDate, cancellationToken);
        var token = StsTokens.Management(key, settings.BaseDate, issued, subclass, value, StsTokens.DrawRnd());
        var result = new IssuedToken(token, "management", (int)subclass, value, tid, issued, null, requestedBy);
        await InsertAsync(connection, transaction, meterSerial, result, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<IReadOnlyList<IssuedToken>> HistoryAsync(string meterSerial, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, "WHERE meter_serial = @p0 ORDER BY id DESC LIMIT 100", [meterSerial], cancellationToken);
    }

    private async Task<(int Tid, DateTime Issued)> NextTidAsync(DbConnection connection, DbTransaction transaction, string meterSerial, BaseDate baseDate, CancellationToken cancellationToken)
    {
        // TIDs count minutes of one naive clock: this deployment uses UTC.
        var now = clock.GetUtcNow().UtcDateTime;
        var wanted = TokenIdentifier.FromIssueTime(DateTime.SpecifyKind(now, DateTimeKind.Unspecified), baseDate);
        // One statement takes the meter's row lock and moves its TID on; the lock is held until this vend commits.
        var tid = Convert.ToInt32(await connection.ScalarAsync(transaction, """
            INSERT INTO plg_sts.meter_tids AS m (meter_serial, last_tid) VALUES (@p0, @p1)
            ON CONFLICT (meter_serial) DO UPDATE SET last_tid = GREATEST(m.last_tid + 1, EXCLUDED.last_tid)
            RETURNING last_tid
            """, [meterSerial, wanted], cancellationToken), CultureInfo.InvariantCulture);
        if (tid > TokenIdentifier.MaxValue)
        {
            throw new InvalidOperationException($"meter {meterSerial} has reached the TID rollover of base date {(int)baseDate}: it needs a key change to the next base date");
        }

        return (tid, TokenIdentifier.ToIssueTime(tid, baseDate));
    }

    private static Task InsertAsync(DbConnection connection, DbTransaction transaction, string meterSerial, IssuedToken token, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction,
            "INSERT INTO plg_sts.tokens (meter_serial, transaction_id, kind, subclass, value, token, tid, issued_at, requested_by) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)",
            [meterSerial, token.TransactionId, token.Kind, token.Subclass, token.Value, token.Token, token.Tid, DateTime.SpecifyKind(token.IssuedAt, DateTimeKind.Utc), token.RequestedBy],
            cancellationToken);

    private static Task<List<IssuedToken>> ReadAsync(DbConnection connection, DbTransaction? transaction, string where, object?[] parameters, CancellationToken cancellationToken) =>
        connection.QueryAsync(transaction, $"SELECT token, kind, subclass, value, tid, issued_at, transaction_id, requested_by FROM plg_sts.tokens {where}", parameters,
            reader => new IssuedToken(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetDecimal(3), reader.GetInt32(4),
                DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Unspecified), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetString(7)),
            cancellationToken);
}
