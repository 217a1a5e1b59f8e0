using System.Globalization;

namespace MPM.Web.Features.Transactions;

/// <summary>The transaction list as CSV (RFC 4180, CRLF line ends), times in the operator's time zone with their offset.</summary>
public static class TransactionCsv
{
    private static readonly string[] Header =
        ["id", "received_at", "completed_at", "status", "reason", "amount", "currency", "provider", "provider_reference", "meter_serial", "customer", "mini_grid", "village", "energy_kwh"];

    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<TransactionRow> rows, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Line(Header));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(
            [
                row.Id.ToString(CultureInfo.InvariantCulture),
                Time(row.ReceivedAt, zone),
                row.CompletedAt is { } completed ? Time(completed, zone) : null,
                row.Status,
                row.Reason,
                row.Amount.ToString("0.00", CultureInfo.InvariantCulture),
                row.Currency,
                row.Provider,
                row.ProviderReference,
                row.MeterSerial,
                row.CustomerName,
                row.MiniGrid,
                row.Village,
                row.EnergyKWh?.ToString("0.0", CultureInfo.InvariantCulture),
            ]));
        }
    }

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>
    /// One field. Text a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
    /// apostrophe; a field with a comma, quote or line break is quoted, its quotes doubled.
    /// </summary>
    public static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0]))
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    private static string Time(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
