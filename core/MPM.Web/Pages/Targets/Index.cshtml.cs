using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features.Targets;

namespace MPM.Web.Pages.Targets;

/// <summary>The targets with their key fields; Expand shows the goals per customer group.</summary>
public sealed class IndexModel(TargetCatalog targets) : PageModel
{
    public IReadOnlyList<TargetRow> Targets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Targets = await targets.ListAsync(cancellationToken);
}
