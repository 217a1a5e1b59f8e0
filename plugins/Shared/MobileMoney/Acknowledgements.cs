using MPM.Sdk;
using MPM.Sdk.Data;

namespace MPM.Plugins.Shared.MobileMoney;

/// <summary>
/// The acknowledgement first sent for each accepted provider reference, so that a repeat is answered exactly as the
/// first time even when its other fields differ. Table <c>acknowledgements</c> in the plugin's schema.
/// </summary>
internal sealed class Acknowledgements(IPluginDatabase database, TimeProvider clock)
{
    /// <summary>Stores <paramref name="answer"/> unless an answer for the reference exists, and returns the stored one.</summary>
    public async Task<string> FirstAnswerAsync(string pluginId, string reference, long transactionId, string answer, CancellationToken cancellationToken)
    {
        var table = $"{database.SchemaOf(pluginId)}.acknowledgements";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"INSERT INTO {table} (provider_reference, transaction_id, answer, created_at) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (provider_reference) DO NOTHING",
            [reference, transactionId, answer, clock.GetUtcNow()], cancellationToken);
        return (string)(await connection.ScalarAsync(null, $"SELECT answer FROM {table} WHERE provider_reference = @p0", [reference], cancellationToken))!;
    }
}
