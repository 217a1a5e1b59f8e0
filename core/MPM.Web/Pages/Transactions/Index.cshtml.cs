using System.Globalization;
using System.Text;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Web.Features;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Transactions;

namespace MPM.Web.Pages.Transactions;

/// <summary>The filter form's GET parameters; dates are the operator's calendar days, both included.</summary>
public sealed class TransactionFilterForm
{
    public string? Serial { get; set; }

    public string? Customer { get; set; }

    public string? Provider { get; set; }

    public string? Status { get; set; }

    public decimal? AmountFrom { get; set; }

    public decimal? AmountTo { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    public long? MiniGrid { get; set; }

    public TransactionFilter ToFilter(TimeZoneInfo zone) => new(
        MeterSerial: Serial,
        CustomerName: Customer,
        Provider: Provider,
        Status: Status,
        AmountFrom: AmountFrom,
        AmountTo: AmountTo,
        From: From is { } from ? PeriodComparison.StartOfDay(from, zone) : null,
        To: To is { } to ? PeriodComparison.StartOfDay(to.AddDays(1), zone) : null,
        MiniGridId: MiniGrid);

    /// <summary>The form as query values, for the pager's and the export's links.</summary>
    public RouteValueDictionary RouteValues(int? page = null) => new()
    {
        ["serial"] = Serial,
        ["customer"] = Customer,
        ["provider"] = Provider,
        ["status"] = Status,
        ["amountFrom"] = AmountFrom,
        ["amountTo"] = AmountTo,
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["miniGrid"] = MiniGrid,
        ["p"] = page,
    };
}

public sealed class IndexModel(TransactionQueries queries, MpmDb db) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "")]
    public TransactionFilterForm Filter { get; set; } = new();

    public OperatorLocale Locale { get; private set; } = null!;

    public IReadOnlyList<ComparisonFigures> Comparisons { get; private set; } = [];

    public Paged<TransactionRow> Result { get; private set; } = null!;

    public IReadOnlyList<MiniGridRecord> MiniGrids { get; private set; } = [];

    /// <summary>The filter values that could not be read, e.g. "AmountFrom: The value 'x' is not valid".</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task OnGetAsync(int p, CancellationToken cancellationToken)
    {
        Locale = await queries.LocaleAsync(cancellationToken);
        DropUnusableDays();
        Problems = ModelState.Where(e => e.Value?.Errors.Count > 0).SelectMany(e => e.Value!.Errors.Select(error => error.ErrorMessage)).ToList();
        Comparisons = await queries.ComparisonsAsync(Locale.TimeZone, Filter.MiniGrid, cancellationToken);
        Result = await queries.ListAsync(Filter.ToFilter(Locale.TimeZone), p, PageSize, cancellationToken);
        MiniGrids = await db.MiniGrids.OrderBy(g => g.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The filtered list as a CSV download, streamed.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        DropUnusableDays();
        if (!ModelState.IsValid)
        {
            // A download cannot show what was left out: it is refused, saying why.
            return BadRequest(string.Join(" ", ModelState.Values.SelectMany(e => e.Errors).Select(e => e.ErrorMessage)));
        }

        var locale = await queries.LocaleAsync(cancellationToken);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"transactions.csv\"";
        // With a byte order mark, spreadsheets read the names as UTF-8.
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await TransactionCsv.WriteAsync(writer, queries.ExportAsync(Filter.ToFilter(locale.TimeZone)), locale.TimeZone, cancellationToken);
        return new EmptyResult();
    }

    /// <summary>Leaves out a from or to day no instant can stand for (see <see cref="FilterDays"/>), saying why in the model state.</summary>
    private void DropUnusableDays()
    {
        Filter.From = FilterDays.Usable(ModelState, nameof(Filter.From), Filter.From);
        Filter.To = FilterDays.Usable(ModelState, nameof(Filter.To), Filter.To);
    }
}
