using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Sdk.Meters;
using MPM.Sdk.Tokens;
using MPM.Web.Features;
using MPM.Web.Features.Payments;
using MPM.Web.Features.Meters;
using MPM.Web.Security;

namespace MPM.Web.Pages.Meters;

[ChangesRequireManagerOrAdmin]
public sealed class DetailsModel(MeterProfile profile, MeterPayments payments, IMeterLookup meters, IServiceProvider services) : PageModel
{
    /// <summary>The token generator plugin's page about this meter (management tokens, history), if it has one.</summary>
    public string? TokenToolsPath { get; private set; }

    public MeterPaymentSummary Payments { get; private set; } = null!;

    public MeterProfileView Meter { get; private set; } = null!;

    public IReadOnlyList<TariffOption> Tariffs { get; private set; } = [];

    /// <summary>Why a change was refused, by field ("tariffId").</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public bool MayChange => ChangesRequireManagerOrAdminAttribute.MayChange(User);

    public Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public Task<IActionResult> OnPostTariffAsync(long id, long? tariffId, CancellationToken cancellationToken) =>
        ApplyAsync(id, () => profile.ChangeTariffAsync(id, tariffId, Actor, cancellationToken), "Tariff changed.", cancellationToken);

    public Task<IActionResult> OnPostInUseAsync(long id, bool inUse, CancellationToken cancellationToken) =>
        ApplyAsync(id, () => profile.SetInUseAsync(id, inUse, Actor, cancellationToken), inUse ? "The meter is back in use." : "The meter is marked not in use.", cancellationToken);

    /// <summary>Cash paid at the office runs the same pipeline as mobile money, as provider "cash".</summary>
    public async Task<IActionResult> OnPostCashAsync(long id, decimal? amount, CancellationToken cancellationToken)
    {
        var result = await payments.RecordCashAsync(id, amount, Actor, cancellationToken);
        if (result.TransactionId is { } transactionId)
        {
            return RedirectToPage("/Transactions/Details", new { id = transactionId });
        }

        Errors = new Dictionary<string, string> { ["cash"] = result.Problem! };
        return await ShowAsync(id, cancellationToken);
    }

    private string Actor => User.Identity?.Name ?? "?";

    private async Task<IActionResult> ApplyAsync(long id, Func<Task<ChangeResult>> change, string done, CancellationToken cancellationToken)
    {
        var result = await change();
        if (result.NotFound)
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }

        Errors = result.Errors;
        return await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(long id, CancellationToken cancellationToken)
    {
        var loaded = await profile.LoadAsync(id, cancellationToken);
        if (loaded is null)
        {
            return NotFound();
        }

        Meter = loaded;
        Payments = await payments.SummaryAsync(id, cancellationToken);
        var info = await meters.FindBySerialAsync(loaded.Meter.SerialNumber, cancellationToken);
        TokenToolsPath = info?.TokenGenerator is { } generator ? services.GetKeyedService<ITokenGenerator>(generator)?.MeterPagePath(info.SerialNumber) : null;
        Tariffs = await profile.TariffsAsync(cancellationToken);
        return Page();
    }
}
