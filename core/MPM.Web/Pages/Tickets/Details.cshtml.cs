using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Web.Features;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Tickets;
using MPM.Web.Security;

namespace MPM.Web.Pages.Tickets;

/// <summary>One ticket: its details, comments and history; managers and admins comment, assign, close and reopen.</summary>
[ChangesRequireManagerOrAdmin]
public sealed class DetailsModel(TicketDesk desk, OperatorProfile profile) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public long? AssigneeId { get; set; }

    public TicketView Ticket { get; private set; } = null!;

    public IReadOnlyList<TicketUserRow> Users { get; private set; } = [];

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public bool MayChange => ChangesRequireManagerOrAdminAttribute.MayChange(User);

    private string Actor => User.Identity?.Name ?? "?";

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostCommentAsync(CancellationToken cancellationToken) =>
        await AfterAsync(await desk.CommentAsync(Id, Comment, Actor, cancellationToken), "Comment added.", "Comment", cancellationToken);

    public async Task<IActionResult> OnPostAssignAsync(CancellationToken cancellationToken) =>
        await AfterAsync(await desk.AssignAsync(Id, AssigneeId, Actor, cancellationToken), "Assignee changed.", nameof(AssigneeId), cancellationToken);

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken) =>
        await AfterAsync(await desk.SetClosedAsync(Id, true, Actor, cancellationToken), "Ticket closed.", "", cancellationToken);

    public async Task<IActionResult> OnPostReopenAsync(CancellationToken cancellationToken) =>
        await AfterAsync(await desk.SetClosedAsync(Id, false, Actor, cancellationToken), "Ticket reopened.", "", cancellationToken);

    private async Task<IActionResult> AfterAsync(ChangeResult result, string done, string field, CancellationToken cancellationToken)
    {
        if (result.NotFound)
        {
            return NotFound();
        }

        if (!result.Succeeded)
        {
            foreach (var (_, message) in result.Errors)
            {
                ModelState.AddModelError(field, message);
            }

            return await ShowAsync(cancellationToken);
        }

        TempData["Flash"] = done;
        return RedirectToPage(new { id = Id });
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (await desk.GetAsync(Id, cancellationToken) is not { } ticket)
        {
            return NotFound();
        }

        Ticket = ticket;
        AssigneeId ??= ticket.Ticket.AssigneeId;
        Users = await desk.UsersAsync(cancellationToken);
        Zone = (await profile.GetAsync(cancellationToken)).TimeZone;
        return Page();
    }
}
