using MPM.Web.Features.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Features;
using MPM.Web.Features.Customers;
using MPM.Web.Security;

namespace MPM.Web.Pages.Customers;

[ChangesRequireManagerOrAdmin]
public sealed class DetailsModel(CustomerProfile profile, AddressBook addressBook, AssetSales assetSales, CustomerPayments payments, IConfiguration configuration, TimeProvider clock) : PageModel
{
    public CustomerPaymentSummary Payments { get; private set; } = null!;

    public const string DefaultTileUrl = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    public CustomerProfileView Profile { get; private set; } = null!;

    public IReadOnlyList<SoldAsset> Sales { get; private set; } = [];

    public IReadOnlyList<VillageOption> Villages { get; private set; } = [];

    public IReadOnlyList<AssetTypeRecord> AssetTypes { get; private set; } = [];

    /// <summary>The basic details form.</summary>
    public CustomerInput Customer { get; private set; } = null!;

    /// <summary>The new address form.</summary>
    public NewAddress Address { get; private set; } = null!;

    /// <summary>The sell asset form.</summary>
    public SaleInput Sale { get; private set; } = null!;

    /// <summary>The form to show open: the one whose values were refused.</summary>
    public string? OpenForm { get; private set; }

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public bool MayChange => ChangesRequireManagerOrAdminAttribute.MayChange(User);

    public string TileUrl => configuration["Map:TileUrl"] ?? DefaultTileUrl;

    public Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public Task<IActionResult> OnPostCustomerAsync(long id, [Bind(Prefix = "customer")] CustomerInput customer, CancellationToken cancellationToken)
    {
        Customer = customer;
        return ApplyAsync(id, "customer", () => profile.UpdateBasicsAsync(id, customer, Actor, cancellationToken), "Customer details saved.", cancellationToken);
    }

    public Task<IActionResult> OnPostAddressAsync(long id, [Bind(Prefix = "address")] NewAddress address, CancellationToken cancellationToken)
    {
        Address = address;
        return ApplyAsync(id, "address", () => addressBook.AddAsync(id, address, Actor, cancellationToken), "Address added.", cancellationToken);
    }

    public Task<IActionResult> OnPostPrimaryAsync(long id, long addressId, CancellationToken cancellationToken) =>
        ApplyAsync(id, "address", () => addressBook.MakePrimaryAsync(id, addressId, Actor, cancellationToken), "Primary address changed.", cancellationToken);

    public Task<IActionResult> OnPostSaleAsync(long id, [Bind(Prefix = "sale")] SaleInput sale, CancellationToken cancellationToken)
    {
        Sale = sale;
        return ApplyAsync(id, "sale", () => assetSales.SellAsync(id, sale, Actor, cancellationToken), "Asset sold.", cancellationToken);
    }

    private string Actor => User.Identity?.Name ?? "?";

    /// <summary>Values the form could not even read (e.g. "abc" for an amount) are refused before the service sees them.</summary>
    private async Task<IActionResult> ApplyAsync(long id, string form, Func<Task<ChangeResult>> change, string done, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
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

            foreach (var (field, message) in result.Errors)
            {
                ModelState.AddModelError(field, message);
            }
        }

        OpenForm = form;
        return await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(long id, CancellationToken cancellationToken)
    {
        var loaded = await profile.LoadAsync(id, cancellationToken);
        if (loaded is null)
        {
            return NotFound();
        }

        Profile = loaded;
        Payments = await payments.SummaryAsync(id, cancellationToken);
        Sales = await assetSales.ForCustomerAsync(id, cancellationToken);
        Villages = await addressBook.VillagesAsync(cancellationToken);
        AssetTypes = await assetSales.TypesAsync(cancellationToken);
        var c = loaded.Customer;
        Customer ??= new CustomerInput(c.Name, c.Surname, c.Phone, c.BirthDate, c.Gender);
        Address ??= new NewAddress(null, null, null, null, null, Primary: false);
        Sale ??= new SaleInput(null, null, 0m, null, "monthly", Today);
        return Page();
    }
}
