using Npgsql;
using static MPM.Testing.Faults.FaultRun;

namespace MPM.Testing.Faults;

/// <summary>
/// After the traffic: waits until the pipeline has drained, then checks every payment the clients had accepted —
/// stored once, finished once, one token on its own meter when it bought energy, allocations equal to the amount,
/// its SMS sent, its outcome told to its provider — and the whole database for duplicate references and doubled tokens.
/// </summary>
public static class FaultChecks
{
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromMinutes(5);

    private sealed record Row(
        long Id, string Provider, string Reference, long MeterId, decimal Amount, string Status, decimal? EnergyKWh, long Tokens, long ForeignTokens,
        long Outcomes, decimal Allocated, long Sms, long SmsSent, string SmsIds, long Outbox, long OutboxDelivered);

    public static async Task<List<string>> RunAsync(string connectionString, Traffic traffic, FakeProviders far, TextWriter output)
    {
        var violations = new List<string>();
        var drained = await DrainAsync(connectionString);
        output.WriteLine(Invariant($"pipeline drained {drained.TotalSeconds:0.0} s after the traffic ended (claims of a killed host expire after 60 s)"));
        var rows = (await RowsAsync(connectionString)).ToDictionary(r => (r.Provider, r.Reference));
        var duplicateReferences = await ScalarAsync(connectionString, "SELECT count(*) FROM (SELECT 1 FROM mpm.transactions GROUP BY provider, provider_reference HAVING count(*) > 1) d");
        var doubledTokens = await ScalarAsync(connectionString, "SELECT count(*) FROM (SELECT 1 FROM mpm.tokens GROUP BY transaction_id HAVING count(*) > 1) d");
        if (duplicateReferences > 0)
        {
            violations.Add($"{duplicateReferences} provider references have more than one transaction");
        }

        if (doubledTokens > 0)
        {
            violations.Add($"{doubledTokens} transactions have more than one token");
        }

        var sent = traffic.Payments.ToList();
        violations.AddRange(traffic.DuplicateMismatches);
        var (confirmed, cancelled, tokens, smsResends, brokerResends) = (0, 0, 0, 0, 0);
        foreach (var payment in sent)
        {
            var name = $"{payment.Provider} {payment.Reference}";
            if (!payment.Accepted)
            {
                violations.Add($"{name}: never accepted ({payment.Refusal})");
                continue;
            }

            if (!rows.TryGetValue((payment.Provider, payment.Reference), out var row))
            {
                violations.Add($"{name}: accepted but no transaction stored (lost)");
                continue;
            }

            if (payment.AnsweredId is { } answered && answered != row.Id)
            {
                violations.Add($"{name}: answered transaction {answered}, stored as {row.Id}");
            }

            var isConfirmed = row.Status == "confirmed";
            if (!isConfirmed && row.Status != "cancelled")
            {
                violations.Add($"{name} (transaction {row.Id}): still {row.Status}");
                continue;
            }

            confirmed += isConfirmed ? 1 : 0;
            cancelled += isConfirmed ? 0 : 1;
            tokens += (int)row.Tokens;
            var expectedTokens = isConfirmed && row.EnergyKWh > 0 ? 1 : 0;
            Check(row.Outcomes == 1, $"{name} (transaction {row.Id}): finished {row.Outcomes} times");
            Check(row.Tokens == expectedTokens, $"{name} (transaction {row.Id}, {row.Status}, {row.EnergyKWh} kWh): {row.Tokens} tokens, expected {expectedTokens}");
            Check(row.ForeignTokens == 0, $"{name} (transaction {row.Id}): a token for another meter");
            Check(row.Allocated == (isConfirmed ? row.Amount : 0m), $"{name} (transaction {row.Id}, {row.Status}): allocations total {row.Allocated} for an amount of {row.Amount}");
            Check(row.Sms == 1 && row.SmsSent == 1, $"{name} (transaction {row.Id}): {row.Sms} SMS, {row.SmsSent} sent");
            foreach (var sms in row.SmsIds.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var calls = far.Sms.GetValueOrDefault(sms);
                Check(calls >= 1, $"{name}: SMS {sms} is marked sent but the gateway never got it");
                smsResends += Math.Max(0, calls - 1);
            }

            Check(row.Outbox == 1 && row.OutboxDelivered == 1, $"{name} (transaction {row.Id}): {row.Outbox} outcome reports, {row.OutboxDelivered} delivered");
            if (payment.Provider == "vodacom-tz")
            {
                var codes = far.VodacomResults.TryGetValue(payment.Reference, out var queue) ? queue.ToList() : [];
                Check(codes.Count >= 1 && codes.All(c => c == (isConfirmed ? "0" : "999")), $"{name} ({row.Status}): the broker got results [{string.Join(",", codes)}]");
                brokerResends += Math.Max(0, codes.Count - 1);
            }
            else if (payment.Provider == "airtel-tz")
            {
                var rollbacks = far.AirtelRollbacks.GetValueOrDefault(payment.Reference);
                Check(isConfirmed ? rollbacks == 0 : rollbacks >= 1, $"{name} ({row.Status}): Airtel got {rollbacks} rollbacks");
            }
        }

        var sentKeys = sent.Select(p => (p.Provider, p.Reference)).ToHashSet();
        violations.AddRange(rows.Keys.Where(k => !sentKeys.Contains(k)).Select(k => $"{k.Provider} {k.Reference}: a transaction no client sent"));

        var accepted = sent.Where(p => p.Accepted).ToList();
        output.WriteLine("checked:");
        output.WriteLine(Invariant($"  {accepted.Count} accepted payments ({string.Join(", ", accepted.GroupBy(p => p.Provider).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}), {rows.Count} stored: each reference once ({duplicateReferences} references with two transactions in the whole database), none lost, none unfinished"));
        output.WriteLine(Invariant($"  outcomes: {confirmed} confirmed + {cancelled} cancelled, each finished exactly once"));
        output.WriteLine(Invariant($"  tokens: {tokens}, one per confirmed payment that bought energy, each on its payment's meter ({doubledTokens} transactions with two tokens in the whole database)"));
        output.WriteLine(Invariant($"  allocations: equal to the amount for the {confirmed} confirmed, zero (reversed or none) for the {cancelled} cancelled"));
        output.WriteLine(Invariant($"  SMS: one per payment, all sent; the gateway was asked {far.Sms.Values.Sum()} times ({smsResends} resends of a message a killed host had sent but not recorded)"));
        output.WriteLine(Invariant($"  provider outcomes: one per payment, all delivered; broker results {far.VodacomResults.Values.Sum(q => q.Count)} ({brokerResends} resends), Airtel rollbacks {far.AirtelRollbacks.Values.Sum()} (only for cancelled Airtel payments)"));
        return violations;

        void Check(bool condition, string violation)
        {
            if (!condition)
            {
                violations.Add(violation);
            }
        }
    }

    private static async Task<TimeSpan> DrainAsync(string connectionString)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var pending = await ScalarAsync(connectionString, $"""
                SELECT (SELECT count(*) FROM mpm.transactions WHERE provider_reference LIKE '{Traffic.ReferencePrefix}-%' AND status IN ('received', 'processing'))
                     + (SELECT count(*) FROM mpm.provider_outbox WHERE status = 'pending')
                     + (SELECT count(*) FROM mpm.sms_messages WHERE direction = 'out' AND status = 'queued')
                """);
            if (pending == 0)
            {
                return DateTime.UtcNow - started;
            }

            if (DateTime.UtcNow - started > DrainDeadline)
            {
                // The checks below name what is left.
                return DateTime.UtcNow - started;
            }

            await Task.Delay(500);
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                return (long)(await command.ExecuteScalarAsync())!;
            }
            catch (NpgsqlException) when (attempt < 5)
            {
                // A pooled connection from before the PostgreSQL restart.
                NpgsqlConnection.ClearAllPools();
            }
        }
    }

    private static async Task<List<Row>> RowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            SELECT t.id, t.provider, t.provider_reference, t.meter_id, t.amount, t.status, t.energy_kwh,
                (SELECT count(*) FROM mpm.tokens k WHERE k.transaction_id = t.id),
                (SELECT count(*) FROM mpm.tokens k WHERE k.transaction_id = t.id AND k.meter_id <> t.meter_id),
                (SELECT count(*) FROM mpm.transaction_events e WHERE e.transaction_id = t.id AND e.event IN ('confirmed', 'cancelled')),
                (SELECT coalesce(sum(a.amount), 0) FROM mpm.allocations a WHERE a.transaction_id = t.id),
                (SELECT count(*) FROM mpm.sms_messages m WHERE m.transaction_id = t.id AND m.direction = 'out'),
                (SELECT count(*) FROM mpm.sms_messages m WHERE m.transaction_id = t.id AND m.direction = 'out' AND m.status IN ('sent', 'delivered')),
                (SELECT coalesce(string_agg(m.id::text, ','), '') FROM mpm.sms_messages m WHERE m.transaction_id = t.id AND m.direction = 'out'),
                (SELECT count(*) FROM mpm.provider_outbox o WHERE o.transaction_id = t.id),
                (SELECT count(*) FROM mpm.provider_outbox o WHERE o.transaction_id = t.id AND o.status = 'delivered')
            FROM mpm.transactions t WHERE t.provider_reference LIKE '{Traffic.ReferencePrefix}-%'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetDecimal(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetDecimal(10),
                reader.GetInt64(11), reader.GetInt64(12), reader.GetString(13), reader.GetInt64(14), reader.GetInt64(15)));
        }

        return rows;
    }
}
