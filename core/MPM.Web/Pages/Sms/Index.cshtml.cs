using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Core;
using MPM.Data;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Sms;
using MPM.Web.Security;

namespace MPM.Web.Pages.Sms;

/// <summary>
/// Bulk SMS (choose who, see how many will receive it, then send) and the SMS log. Everyone may read the log; sending
/// needs a manager or an admin.
/// </summary>
[ChangesRequireManagerOrAdmin]
public sealed class IndexModel(SmsCenter center, CustomerDirectory directory, MpmDb db, OperatorProfile profile) : PageModel
{
    public sealed record Option(long Id, string Name);

    /// <summary>Who receives it: "MiniGrid:3", "ConnectionGroup:2", "ConnectionType:1" or "Customers" (the chosen ones).</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public AudienceKind? Kind => To?.Split(':')[0] is { } kind && Enum.TryParse<AudienceKind>(kind, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    private long? Target => To?.Split(':') is [_, var id] && long.TryParse(id, out var parsed) ? parsed : null;

    [BindProperty(SupportsGet = true)]
    public List<long> Chosen { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Message { get; set; }

    /// <summary>A search for customers to choose.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Find { get; set; }

    /// <summary>The number of recipients the sender was shown; a send goes ahead only when it is still right.</summary>
    [BindProperty]
    public int? Expected { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "dir")]
    public string? Direction { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNo { get; set; } = 1;

    public SmsAudience Audience => new(Kind ?? AudienceKind.MiniGrid, Kind == AudienceKind.Customers ? null : Target, Kind == AudienceKind.Customers ? Chosen : []);

    /// <summary>How many will receive the message; null until an audience is chosen.</summary>
    public int? Recipients { get; private set; }

    public string? Problem { get; private set; }

    public bool MayChange => ChangesRequireManagerOrAdminAttribute.MayChange(User);

    public IReadOnlyList<Option> MiniGrids { get; private set; } = [];

    public IReadOnlyList<Option> ConnectionGroups { get; private set; } = [];

    public IReadOnlyList<Option> ConnectionTypes { get; private set; } = [];

    /// <summary>The chosen customers and those the search found, chosen first.</summary>
    public IReadOnlyList<(CustomerRow Customer, bool Chosen)> CustomerChoices { get; private set; } = [];

    public Paged<SmsLogRow> Log { get; private set; } = null!;

    /// <summary>The SMS gateway plugin the outbox sends through, if any.</summary>
    public string? Gateway { get; private set; }

    public IReadOnlyList<string> Gateways => center.Gateways;

    /// <summary>The operator's time zone, for the log's times.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The bulk send whose progress the page shows (after a send it redirects here with ?send=id).</summary>
    [BindProperty(SupportsGet = true, Name = "send")]
    public long? SendId { get; set; }

    public BulkSendProgress? Progress { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Progress = SendId is { } send ? await center.ProgressAsync(send, cancellationToken) : null;
        if (Kind is not null && Audience.IsComplete)
        {
            Recipients = await center.CountAsync(Audience, cancellationToken);
        }

        return await PageAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var count = await center.CountAsync(Audience, cancellationToken);
        if (Expected != count)
        {
            Recipients = count;
            Problem = Expected is null
                ? "Check how many people will receive the message, then send."
                : $"The recipients changed since you looked: now {count}. Check and send again.";
            return await PageAsync(cancellationToken);
        }

        var result = await center.SendAsync(Audience, Message, User.Identity?.Name ?? "?", cancellationToken);
        if (result.Error is not null)
        {
            Recipients = count;
            Problem = result.Error;
            return await PageAsync(cancellationToken);
        }

        TempData["Flash"] = $"{result.Queued} message(s) queued; their status shows in the log below.";
        return RedirectToPage(new { dir = "out", send = result.SendId });
    }

    /// <summary>A bulk send's progress as JSON, polled by the page until every message is delivered or failed.</summary>
    public async Task<IActionResult> OnGetProgressAsync(long id, CancellationToken cancellationToken) =>
        await center.ProgressAsync(id, cancellationToken) is { } progress ? new JsonResult(progress) : NotFound();

    /// <summary>Chooses the SMS gateway plugin the outbox sends through: an admin's choice.</summary>
    public async Task<IActionResult> OnPostGatewayAsync(string? gateway, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!await center.SetGatewayAsync(gateway, User.Identity?.Name ?? "?", cancellationToken))
        {
            return BadRequest();
        }

        TempData["Flash"] = gateway is { Length: > 0 } ? $"SMS now leave through {gateway}." : "No SMS gateway: messages wait in the outbox.";
        return RedirectToPage();
    }

    private async Task<PageResult> PageAsync(CancellationToken cancellationToken)
    {
        MiniGrids = await db.MiniGrids.OrderBy(m => m.Name).Select(m => new Option(m.Id, m.Name)).ToListAsync(cancellationToken);
        ConnectionGroups = await db.ConnectionGroups.OrderBy(g => g.Name).Select(g => new Option(g.Id, g.Name)).ToListAsync(cancellationToken);
        ConnectionTypes = await db.ConnectionTypes.OrderBy(t => t.Name).Select(t => new Option(t.Id, t.Name)).ToListAsync(cancellationToken);
        if (Kind == AudienceKind.Customers)
        {
            var chosen = await db.Customers.Where(c => Chosen.Contains(c.Id)).OrderBy(c => c.Surname).ThenBy(c => c.Name)
                .Select(c => new CustomerRow(c.Id, c.Name, c.Surname, c.Phone, null, null)).ToListAsync(cancellationToken);
            var found = string.IsNullOrWhiteSpace(Find) ? [] : (await directory.SearchAsync(Find, 1, 20, CustomerSort.Name, cancellationToken)).Items;
            CustomerChoices = [.. chosen.Select(c => (c, true)), .. found.Where(f => !Chosen.Contains(f.Id)).Select(f => (f, false))];
        }

        var operatorProfile = await profile.GetAsync(cancellationToken);
        Zone = operatorProfile.TimeZone;
        Gateway = operatorProfile.SmsGateway;
        Log = await center.LogAsync(Search, Direction, Status, PageNo, cancellationToken);
        return Page();
    }
}
