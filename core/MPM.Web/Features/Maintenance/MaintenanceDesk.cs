using System.Globalization;
using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Payments;
using MPM.Web.Features.Sms;
using MPM.Web.Features.Tickets;
using MPM.Web.Security;
using MPM.Web.Settings;

namespace MPM.Web.Features.Maintenance;

public sealed record ContractorInput(string? Name, string? Phone);

public sealed record ContractorRow(long Id, string Name, string Phone, int OpenJobs);

/// <param name="Job">What to do: the ticket's title.</param>
public sealed record MaintenanceInput(string? Job, string? Details, DateOnly? Deadline, long? ContractorId, decimal? Price, long? CategoryId);

public sealed record MaintenanceRow(TicketRow Ticket, bool Overdue);

/// <summary>
/// Maintenance by external contractors: a request is a ticket in an out-sourced category, with the contractor and the
/// price, and an SMS that tells the contractor the job, queued in the same transaction (the SMS outbox sends it). The
/// contractor's reply that starts with "ticket" becomes a comment on their newest open ticket.
/// </summary>
public sealed partial class MaintenanceDesk(MpmDb db, TicketDesk tickets, AuditLog audit, OperatorProfile profile, PipelineSignal smsSignal, TicketOutboxSignal ticketSignal, TimeProvider clock, ILogger<MaintenanceDesk> logger)
{
    public const string RequestTemplate = "maintenance.request";

    public Task<List<ContractorRow>> ContractorsAsync(CancellationToken cancellationToken = default) =>
        db.Contractors.OrderBy(c => c.Name)
            .Select(c => new ContractorRow(c.Id, c.Name, c.Phone, db.Tickets.Count(t => t.ContractorId == c.Id && t.Status == TicketStates.Open)))
            .ToListAsync(cancellationToken);

    public async Task<SaveResult> AddContractorAsync(ContractorInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        if (Registration.PhoneProblem(input.Phone) is { } problem)
        {
            errors["phone"] = problem;
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var phone = input.Phone!.Trim();
        var id = await db.InsertWithInt64IdentityAsync(new ContractorRecord { Name = name!, Phone = phone, CreatedAt = clock.GetUtcNow() }, token: cancellationToken);
        await audit.WriteAsync(actor, "contractor.create", $"contractor {id}: {name} {phone}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return SaveResult.Saved(id);
    }

    /// <summary>The maintenance jobs (tickets with a contractor), newest first; an open job past its deadline (operator's today) is overdue.</summary>
    public async Task<Paged<MaintenanceRow>> ListAsync(string? status, int page, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, int.MaxValue / TicketDesk.PageSize);
        var today = await OperatorClock.TodayAsync(db, clock, cancellationToken);
        var query = tickets.Rows(new TicketFilter(Status: status), maintenance: true);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Skip((page - 1) * TicketDesk.PageSize).Take(TicketDesk.PageSize).ToListAsync(cancellationToken);
        return new Paged<MaintenanceRow>(rows.Select(r => new MaintenanceRow(r, IsOverdue(r.Status, r.DueDate, today))).ToList(), page, TicketDesk.PageSize, total);
    }

    public static bool IsOverdue(string status, DateOnly? deadline, DateOnly today) => status == TicketStates.Open && deadline is { } d && d < today;

    /// <summary>Saves the job as a ticket in the out-sourced category with its price and queues the SMS to the contractor, in one transaction.</summary>
    public async Task<SaveResult> RequestAsync(MaintenanceInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var ticket = await tickets.ValidateAsync(new TicketInput(input.Job, input.Details, input.CategoryId, null, null, null, input.Deadline), errors, cancellationToken);
        if (errors.Remove("title", out var job))
        {
            errors["job"] = job.Replace("title", "job", StringComparison.Ordinal);
        }

        if (errors.Remove("description", out var details))
        {
            errors["details"] = details.Replace("description", "details", StringComparison.Ordinal);
        }

        if (input.Deadline is null)
        {
            errors["deadline"] = "deadline is required";
        }

        FieldRules.NotNegative(errors, "price", "price", input.Price, 2, required: true);
        var contractor = input.ContractorId is { } contractorId ? await db.Contractors.FirstOrDefaultAsync(c => c.Id == contractorId, cancellationToken) : null;
        if (contractor is null)
        {
            errors["contractorId"] = input.ContractorId is null ? "contractor is required" : "the chosen contractor does not exist";
        }

        if (!errors.ContainsKey("categoryId") && !await db.TicketCategories.AnyAsync(c => c.Id == input.CategoryId && c.OutSourced, cancellationToken))
        {
            errors["categoryId"] = "a maintenance job needs an out-sourced category";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        ticket!.ContractorId = contractor!.Id;
        ticket.Price = input.Price;
        var operatorProfile = await profile.GetAsync(cancellationToken);
        var template = await db.SmsTemplates.Where(t => t.Key == RequestTemplate).Select(t => t.Body).FirstAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var id = await tickets.InsertAsync(ticket, actor, $"maintenance job for {contractor.Name}, price {input.Price!.Value.ToString("0.00", CultureInfo.InvariantCulture)}", cancellationToken);
        var now = clock.GetUtcNow();
        var smsId = await db.InsertWithInt64IdentityAsync(new SmsMessageRecord
        {
            Direction = "out",
            Phone = contractor.Phone,
            Body = template.Replace("{ticket}", id.ToString(CultureInfo.InvariantCulture)).Replace("{job}", ticket.Title)
                .Replace("{deadline}", input.Deadline!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Replace("{price}", input.Price.Value.ToString("#,0.##", CultureInfo.InvariantCulture)).Replace("{currency}", operatorProfile.Currency),
            Status = SmsStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        }, token: cancellationToken);
        await tickets.HistoryAsync(id, actor, "sms-queued", $"job sent to {contractor.Name} ({contractor.Phone}) as SMS #{smsId}", now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        smsSignal.Notify();
        ticketSignal.Notify();
        return SaveResult.Saved(id);
    }

    /// <summary>Whether an incoming SMS is a contractor's "ticket ..." reply; the text after the keyword when it is.</summary>
    public static string? TicketReply(string text) => TicketPattern().Match(text) is { Success: true } m ? m.Groups[1].Value.Trim() : null;

    /// <summary>
    /// Adds a contractor's reply as a comment to their newest open ticket, in the caller's transaction; the outcome to log
    /// with the incoming message. Unknown phone or no open ticket: nothing changes.
    /// </summary>
    public async Task<string> CommentFromSmsAsync(string from, string reply, CancellationToken cancellationToken)
    {
        var tail = SmsInbox.PhoneTail(from);
        var contractors = tail.Length == 0 ? [] : await db.QueryToListAsync<ContractorRecord>(
            "SELECT * FROM mpm.contractors WHERE right(regexp_replace(phone, '[^0-9]', '', 'g'), 9) = @tail ORDER BY id", cancellationToken, new DataParameter("tail", tail));
        if (contractors.Count == 0)
        {
            return "ticket reply refused: no contractor has this phone; nothing changed";
        }

        var ids = contractors.Select(c => c.Id).ToList();
        var ticket = await db.Tickets.Where(t => t.ContractorId != null && ids.Contains(t.ContractorId.Value) && t.Status == TicketStates.Open)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        if (ticket is null)
        {
            return $"ticket reply refused: {contractors[0].Name} has no open ticket; nothing changed";
        }

        if (reply.Length == 0)
        {
            return $"ticket reply refused: the message has no text after 'ticket'; nothing added to ticket #{ticket.Id}";
        }

        var author = contractors.First(c => c.Id == ticket.ContractorId).Name;
        await tickets.AddCommentAsync(ticket, author, reply.Length > TicketDesk.MaxTextLength ? reply[..TicketDesk.MaxTextLength] : reply, CommentSource.Sms, cancellationToken);
        logger.LogInformation("SMS from {Phone} added as a comment to ticket {TicketId}", from, ticket.Id);
        ticketSignal.Notify();
        return $"ticket reply: added as a comment to ticket #{ticket.Id}";
    }

    [GeneratedRegex(@"^\s*ticket\b[\s:,.\-]*(.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex TicketPattern();
}
