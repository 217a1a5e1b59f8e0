using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Sdk.Payments;
using MPM.Web.Features.Transactions;

namespace MPM.Web.Pages.Transactions;

public sealed class DetailsModel(TransactionQueries queries) : PageModel
{
    public TransactionDetail Detail { get; private set; } = null!;

    public OperatorLocale Locale { get; private set; } = null!;

    /// <summary>The provider plugin's partial for its data, rendered with <see cref="Outcome"/>; null shows the raw data.</summary>
    public string? ProviderPartial { get; private set; }

    public PaymentOutcome Outcome { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await queries.GetDetailAsync(id, cancellationToken) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        Locale = await queries.LocaleAsync(cancellationToken);
        var transaction = detail.Transaction;
        // Provider plugins register their IPaymentProvider keyed by their id, which is the transaction's provider.
        ProviderPartial = HttpContext.RequestServices.GetKeyedService<IPaymentProvider>(transaction.Provider)?.DetailPartial;
        Outcome = new PaymentOutcome(transaction.Id, transaction.ProviderReference, transaction.Status == TransactionStatus.Confirmed, transaction.Reason, transaction.RawData);
        return Page();
    }
}
