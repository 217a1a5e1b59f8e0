using System.Data;
using MPM.Plugins.OpenPaygo.Engine;
using MPM.Sdk;
using MPM.Sdk.Data;

namespace MPM.Plugins.OpenPaygo.Devices;

public sealed record Device(string Serial, uint StartingCode, int Count, DateTimeOffset CreatedAt);

public sealed record DeviceToken(string DeviceSerial, int Count, string Type, int? Value, string Token, string? Reference, DateTimeOffset IssuedAt, string RequestedBy);

/// <summary>
/// The devices whose tokens this plugin makes: secret key (encrypted), starting code and counter. A token advances
/// the counter under a row lock in the same transaction that records it, so two tokens never share a count; a token
/// asked for again with the same reference (e.g. a payment) is the stored one.
/// </summary>
public sealed class OpenPaygoDevices(IPluginDatabase database, IPluginSecrets secrets, TimeProvider clock)
{
    public const string PluginId = "openpaygo";

    public async Task<Device> RegisterAsync(string serial, string keyHex, uint? startingCode, CancellationToken cancellationToken)
    {
        serial = serial.Trim();
        if (serial.Length is 0 or > 40)
        {
            throw new ArgumentException("the device serial must have 1 to 40 characters");
        }

        byte[] key;
        try
        {
            key = Convert.FromHexString(keyHex.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException("the secret key must be 32 hexadecimal digits");
        }

        if (key.Length != 16)
        {
            throw new ArgumentException("the secret key must be 32 hexadecimal digits");
        }

        var code = startingCode ?? StartingCode.FromKey(key);
        var device = new Device(serial, code, 0, clock.GetUtcNow());
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(null,
            "INSERT INTO plg_openpaygo.devices (serial, secret_key, starting_code, count, created_at) VALUES (@p0, @p1, @p2, 0, @p3) ON CONFLICT (serial) DO NOTHING",
            [serial, secrets.Protect(PluginId, Convert.ToHexString(key)), (long)code, device.CreatedAt], cancellationToken);
        return inserted == 1 ? device : throw new ArgumentException($"device {serial} is already registered");
    }

    public async Task<DeviceToken> IssueAsync(string serial, OpenPaygoTokenType type, int? value, bool extended, bool restrictedDigits, string? reference, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        if (reference is not null)
        {
            var existing = await connection.QueryAsync(transaction, TokenSelect + " WHERE reference = @p0", [reference], ReadToken, cancellationToken);
            if (existing.Count > 0)
            {
                return existing[0];
            }
        }

        var rows = await connection.QueryAsync(transaction, "SELECT secret_key, starting_code, count FROM plg_openpaygo.devices WHERE serial = @p0 FOR UPDATE", [serial],
            r => (Key: r.GetString(0), StartingCode: (uint)r.GetInt64(1), Count: r.GetInt32(2)), cancellationToken);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"device {serial} is not registered");
        }

        var device = rows[0];
        var key = Convert.FromHexString(secrets.Unprotect(PluginId, device.Key));
        var (newCount, token) = OpenPaygoEncoder.Generate(key, device.StartingCode, device.Count, type, value, extended, restrictedDigits);
        var issued = new DeviceToken(serial, newCount, TypeName(type), value, token, reference, clock.GetUtcNow(), requestedBy);
        await connection.ExecuteAsync(transaction, "UPDATE plg_openpaygo.devices SET count = @p1 WHERE serial = @p0", [serial, newCount], cancellationToken);
        await connection.ExecuteAsync(transaction,
            "INSERT INTO plg_openpaygo.tokens (device_serial, count, type, value, token, reference, issued_at, requested_by) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
            [serial, newCount, issued.Type, value, token, reference, issued.IssuedAt, requestedBy], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return issued;
    }

    public async Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(null, "SELECT serial, starting_code, count, created_at FROM plg_openpaygo.devices ORDER BY serial", [],
            r => new Device(r.GetString(0), (uint)r.GetInt64(1), r.GetInt32(2), r.GetFieldValue<DateTimeOffset>(3)), cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceToken>> HistoryAsync(string serial, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(null, TokenSelect + " WHERE device_serial = @p0 ORDER BY count DESC LIMIT 100", [serial], ReadToken, cancellationToken);
    }

    /// <summary>
    /// Days of use a payment buys on a rate plan: the share of one rate it covers times the rate's period, rounded down
    /// (a monthly rate of 30,000 over 30 days: 15,000 buys 15 days).
    /// </summary>
    public static int CreditDays(decimal amount, decimal rateAmount, int periodDays)
    {
        if (amount < 0 || rateAmount <= 0 || periodDays < 1)
        {
            throw new ArgumentException("the amount must not be negative, the rate must be positive and the period at least one day");
        }

        return (int)Math.Floor(amount / rateAmount * periodDays);
    }

    public static string TypeName(OpenPaygoTokenType type) => type switch
    {
        OpenPaygoTokenType.AddTime => "add-time",
        OpenPaygoTokenType.SetTime => "set-time",
        OpenPaygoTokenType.DisablePayg => "disable-payg",
        _ => "counter-sync",
    };

    private const string TokenSelect = "SELECT device_serial, count, type, value, token, reference, issued_at, requested_by FROM plg_openpaygo.tokens";

    private static DeviceToken ReadToken(System.Data.Common.DbDataReader r) => new(
        r.GetString(0), r.GetInt32(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.GetFieldValue<DateTimeOffset>(6), r.GetString(7));
}
