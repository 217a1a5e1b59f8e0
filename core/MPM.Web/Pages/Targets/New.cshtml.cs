using System.Globalization;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Data;
using MPM.Web.Api;
using MPM.Web.Features.Targets;
using MPM.Web.Security;
using MPM.Web.Shell;

namespace MPM.Web.Pages.Targets;

/// <summary>The New Target form: a cluster or a mini-grid, a valid-until date, then the goals per customer group, none required.</summary>
[ChangesRequireManagerOrAdmin]
public sealed class NewModel(TargetCatalog targets, MpmDb db) : PageModel
{
    public sealed class GoalsForm
    {
        public long? ConnectionTypeId { get; set; }

        public int? NewConnections { get; set; }

        public decimal? Revenue { get; set; }

        public decimal? ConnectedPower { get; set; }

        public decimal? EnergyPerMonth { get; set; }

        public decimal? AverageRevenuePerCustomer { get; set; }
    }

    public sealed class TargetForm
    {
        /// <summary>"cluster:3" or "mini-grid:7".</summary>
        public string? Owner { get; set; }

        public DateOnly? ValidUntil { get; set; }

        public List<GoalsForm> Values { get; set; } = [];
    }

    [BindProperty]
    public TargetForm Input { get; set; } = new();

    public IReadOnlyList<ClusterRecord> Clusters { get; private set; } = [];

    public IReadOnlyList<MiniGridRecord> MiniGrids { get; private set; } = [];

    /// <summary>The rows of the goals table: all customers first, then each customer group.</summary>
    public IReadOnlyList<(long? Id, string Name)> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Input.Values = Groups.Select(g => new GoalsForm { ConnectionTypeId = g.Id }).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var (ownerType, ownerId) = ParseOwner(Input.Owner);
        if (ownerType is null)
        {
            ModelState.AddModelError("Input.Owner", "Choose the cluster or mini-grid the target is for.");
        }

        if (Input.ValidUntil is null && ModelState.GetFieldValidationState("Input.ValidUntil") != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            ModelState.AddModelError("Input.ValidUntil", "Choose the date until which the target is valid.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var input = new TargetInput(ownerType, ownerId, Input.ValidUntil, Input.Values.Select(v => (TargetValueInput?)new TargetValueInput(
            v.ConnectionTypeId, v.NewConnections, v.Revenue, v.ConnectedPower, v.EnergyPerMonth, v.AverageRevenuePerCustomer)).ToList());
        var result = await targets.CreateAsync(input, User.Identity?.Name ?? "operator", cancellationToken);
        if (!result.Succeeded)
        {
            FormErrors.AddTo(ModelState, "Input", result.Errors.ToDictionary(e => e.Key == "ownerType" || e.Key == "ownerId" ? "owner" : e.Key, e => e.Value));
            return Page();
        }

        TempData["Flash"] = "Target saved.";
        return RedirectToPage("./Index");
    }

    private static (string? Type, long? Id) ParseOwner(string? owner)
    {
        var parts = owner?.Split(':');
        return parts is [var type, var id] && type is TargetCatalog.Cluster or TargetCatalog.MiniGrid
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (type, number)
            : (null, null);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Clusters = await db.Clusters.OrderBy(c => c.Name).ToListAsync(cancellationToken);
        MiniGrids = await db.MiniGrids.OrderBy(g => g.Name).ToListAsync(cancellationToken);
        var groups = await db.ConnectionTypes.OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        Groups = [(null, TargetCatalog.AllCustomers), .. groups.Select(g => ((long?)g.Id, g.Name))];
    }
}
