using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Customers;
using MPM.Web.Security;

namespace MPM.Web.Features.Tickets;

public sealed record CategoryInput(string? Name, string? Colour, bool OutSourced);

public sealed record TicketUserInput(string? Name, string? Tag, long? UserId);

public sealed record TicketInput(string? Title, string? Description, long? CategoryId, long? CustomerId, long? MiniGridId, long? AssigneeId, DateOnly? DueDate);

/// <param name="Status">"open", "closed" or null for both.</param>
public sealed record TicketFilter(string? Status = null, long? CategoryId = null, long? AssigneeId = null, long? MiniGridId = null, long? CustomerId = null);

public sealed record TicketUserRow(long Id, string Name, string Tag, string? StaffEmail);

public sealed record TicketRow(
    long Id, string Title, string Category, string Colour, string Status, long? CustomerId, string? Customer, string? MiniGrid, string? Assignee, DateOnly? DueDate,
    decimal? Price, string? Contractor, DateTimeOffset CreatedAt);

public sealed record TicketView(
    TicketRecord Ticket, TicketCategoryRecord Category, string? Customer, string? MiniGrid, TicketUserRecord? Assignee, ContractorRecord? Contractor,
    IReadOnlyList<TicketCommentRecord> Comments, IReadOnlyList<TicketHistoryRecord> History, IReadOnlyList<TicketOutboxRecord> Sync);

/// <summary>
/// The built-in ticket store: categories, ticketing users, tickets with their comments and history. Every change is
/// stored with its history entry and, when the ticket belongs to an external ticketing system, its outbox row, in one
/// transaction; <see cref="TicketOutbox"/> delivers the outbox later, so the provider being down never loses a change.
/// </summary>
public sealed partial class TicketDesk(MpmDb db, TicketingProviders providers, TicketOutboxSignal signal, AuditLog audit, TimeProvider clock, ILogger<TicketDesk> logger)
{
    public const int PageSize = 25;
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4000;
    public static readonly TimeSpan TagCheckTimeout = TimeSpan.FromSeconds(15);

    public Task<List<TicketCategoryRecord>> CategoriesAsync(CancellationToken cancellationToken = default) =>
        db.TicketCategories.OrderBy(c => c.Name).ToListAsync(cancellationToken);

    public async Task<SaveResult> AddCategoryAsync(CategoryInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var name = FieldRules.Name(errors, "name", input.Name);
        var colour = input.Colour?.Trim().ToLowerInvariant();
        if (colour is null || !ColourPattern().IsMatch(colour))
        {
            errors["colour"] = "colour must be a colour like #1f77b4";
        }

        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        return await Changes.SaveAsync(db, "name", $"a category named {name} already exists", async () =>
        {
            var id = await db.InsertWithInt64IdentityAsync(new TicketCategoryRecord { Name = name!, Colour = colour!, OutSourced = input.OutSourced, CreatedAt = clock.GetUtcNow() }, token: cancellationToken);
            await audit.WriteAsync(actor, "ticket-category.create", $"ticket category {id}: {name}, {colour}{(input.OutSourced ? ", out-sourced" : "")}", cancellationToken);
            return id;
        }, cancellationToken);
    }

    public Task<List<TicketUserRow>> UsersAsync(CancellationToken cancellationToken = default) =>
        (from u in db.TicketUsers
         from s in db.Users.LeftJoin(s => s.Id == u.UserId)
         orderby u.Name
         select new TicketUserRow(u.Id, u.Name, u.Tag, s == null ? null : s.Email)).ToListAsync(cancellationToken);

    /// <summary>
    /// Adds a ticketing user. With a ticketing provider configured, the tag must exist there (checked with
    /// <see cref="MPM.Sdk.Ticketing.ITicketingProvider.UserExistsAsync"/>): an unknown tag, or a provider that cannot be
    /// reached, is an error and nothing is saved.
    /// </summary>
    public async Task<SaveResult> AddUserAsync(TicketUserInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var raw = input.Tag?.Trim() ?? "";
        var tag = raw.StartsWith('@') ? raw : "@" + raw;
        if (raw.Length == 0)
        {
            errors["tag"] = "tag is required";
        }
        else if (!TagPattern().IsMatch(tag))
        {
            errors["tag"] = "tag must be a ticketing system user name like @amina_k (letters, digits, '_', '.', '-')";
        }

        string? staffEmail = null;
        if (input.UserId is { } userId && (staffEmail = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken)) is null)
        {
            errors["userId"] = "the chosen operator account does not exist";
        }

        var name = string.IsNullOrWhiteSpace(input.Name) && staffEmail is not null ? staffEmail : FieldRules.Name(errors, "name", input.Name);
        if (errors.Count > 0)
        {
            return SaveResult.Invalid(errors);
        }

        if (await providers.CurrentAsync(cancellationToken) is { } providerId)
        {
            if (await CheckTagAsync(providerId, tag, cancellationToken) is { } problem)
            {
                return SaveResult.Invalid("tag", problem);
            }
        }

        return await Changes.SaveAsync(db, "tag", $"a ticketing user with the tag {tag} already exists", async () =>
        {
            var id = await db.InsertWithInt64IdentityAsync(new TicketUserRecord { Name = name!, Tag = tag, UserId = input.UserId, CreatedAt = clock.GetUtcNow() }, token: cancellationToken);
            await audit.WriteAsync(actor, "ticket-user.create", $"ticketing user {id}: {name} {tag}", cancellationToken);
            return id;
        }, cancellationToken);
    }

    private async Task<string?> CheckTagAsync(string providerId, string tag, CancellationToken cancellationToken)
    {
        if (providers.Resolve(providerId) is not { } provider)
        {
            return $"the ticketing provider '{providerId}' is not active, so the tag cannot be checked; nothing was saved";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TagCheckTimeout);
        try
        {
            return await provider.UserExistsAsync(tag, timeout.Token) ? null : $"{providerId} has no user {tag}";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Checking ticketing user tag {Tag} with {Provider} failed", tag, providerId);
            return $"{providerId} could not be reached to check the tag ({e.GetType().Name}); nothing was saved, try again later";
        }
    }

    public async Task<Paged<TicketRow>> ListAsync(TicketFilter filter, int page, CancellationToken cancellationToken = default)
    {
        page = Math.Clamp(page, 1, int.MaxValue / PageSize);
        var query = Rows(filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Paged<TicketRow>(rows, page, PageSize, total);
    }

    /// <summary>The tickets that match, as rows; <paramref name="maintenance"/> keeps only contractors' jobs.</summary>
    public IQueryable<TicketRow> Rows(TicketFilter filter, bool maintenance = false)
    {
        var tickets = db.Tickets.AsQueryable();
        if (filter.Status is TicketStates.Open or TicketStates.Closed)
        {
            tickets = tickets.Where(t => t.Status == filter.Status);
        }

        if (filter.CategoryId is { } category)
        {
            tickets = tickets.Where(t => t.CategoryId == category);
        }

        if (filter.AssigneeId is { } assignee)
        {
            tickets = tickets.Where(t => t.AssigneeId == assignee);
        }

        if (filter.MiniGridId is { } miniGrid)
        {
            tickets = tickets.Where(t => t.MiniGridId == miniGrid);
        }

        if (filter.CustomerId is { } customer)
        {
            tickets = tickets.Where(t => t.CustomerId == customer);
        }

        if (maintenance)
        {
            tickets = tickets.Where(t => t.ContractorId != null);
        }

        return from t in tickets
               join c in db.TicketCategories on t.CategoryId equals c.Id
               from cu in db.Customers.LeftJoin(cu => cu.Id == t.CustomerId)
               from g in db.MiniGrids.LeftJoin(g => g.Id == t.MiniGridId)
               from a in db.TicketUsers.LeftJoin(a => a.Id == t.AssigneeId)
               from k in db.Contractors.LeftJoin(k => k.Id == t.ContractorId)
               select new TicketRow(
                   t.Id, t.Title, c.Name, c.Colour, t.Status, t.CustomerId, cu == null ? null : cu.Name + " " + cu.Surname, g == null ? null : g.Name,
                   a == null ? null : a.Name + " " + a.Tag, t.DueDate, t.Price, k == null ? null : k.Name, t.CreatedAt);
    }

    public async Task<TicketView?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        var category = await db.TicketCategories.FirstAsync(c => c.Id == ticket.CategoryId, cancellationToken);
        var customer = ticket.CustomerId is { } customerId
            ? await db.Customers.Where(c => c.Id == customerId).Select(c => c.Name + " " + c.Surname).FirstOrDefaultAsync(cancellationToken)
            : null;
        var miniGrid = ticket.MiniGridId is { } miniGridId ? await db.MiniGrids.Where(g => g.Id == miniGridId).Select(g => g.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var assignee = ticket.AssigneeId is { } assigneeId ? await db.TicketUsers.FirstOrDefaultAsync(u => u.Id == assigneeId, cancellationToken) : null;
        var contractor = ticket.ContractorId is { } contractorId ? await db.Contractors.FirstOrDefaultAsync(c => c.Id == contractorId, cancellationToken) : null;
        return new TicketView(
            ticket, category, customer, miniGrid, assignee, contractor,
            await db.TicketComments.Where(c => c.TicketId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken),
            await db.TicketHistory.Where(h => h.TicketId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken),
            await db.TicketOutbox.Where(o => o.TicketId == id).OrderBy(o => o.Id).ToListAsync(cancellationToken));
    }

    /// <summary>Creates a ticket (status open), its history entry and, with a provider configured, its 'create' outbox row.</summary>
    public async Task<SaveResult> CreateAsync(TicketInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var ticket = await ValidateAsync(input, errors, cancellationToken);
        if (ticket is null)
        {
            return SaveResult.Invalid(errors);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var id = await InsertAsync(ticket, actor, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return SaveResult.Saved(id);
    }

    /// <summary>Checks a ticket's fields; the record to insert (created by, times and provider still unset), or null with the errors.</summary>
    public async Task<TicketRecord?> ValidateAsync(TicketInput input, Dictionary<string, string> errors, CancellationToken cancellationToken)
    {
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors["title"] = "title is required";
        }
        else if (title.Length > MaxTitleLength)
        {
            errors["title"] = $"title must have at most {MaxTitleLength} characters";
        }

        var description = input.Description?.Trim() ?? "";
        if (description.Length > MaxTextLength)
        {
            errors["description"] = $"description must have at most {MaxTextLength} characters";
        }

        if (input.CategoryId is not { } categoryId)
        {
            errors["categoryId"] = "category is required";
        }
        else if (!await db.TicketCategories.AnyAsync(c => c.Id == categoryId, cancellationToken))
        {
            errors["categoryId"] = "the chosen category does not exist";
        }

        var miniGridId = input.MiniGridId;
        if (input.CustomerId is { } customerId)
        {
            if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
            {
                errors["customerId"] = "the chosen customer does not exist";
            }
            else
            {
                miniGridId = await CustomerMiniGridAsync(customerId, cancellationToken) ?? miniGridId;
            }
        }

        if (miniGridId is { } grid && !await db.MiniGrids.AnyAsync(g => g.Id == grid, cancellationToken))
        {
            errors["miniGridId"] = "the chosen mini-grid does not exist";
        }

        if (input.AssigneeId is { } assigneeId && !await db.TicketUsers.AnyAsync(u => u.Id == assigneeId, cancellationToken))
        {
            errors["assigneeId"] = "the chosen assignee does not exist";
        }

        return errors.Count > 0 ? null : new TicketRecord
        {
            Title = title!,
            Description = description,
            CategoryId = input.CategoryId!.Value,
            CustomerId = input.CustomerId,
            MiniGridId = miniGridId,
            AssigneeId = input.AssigneeId,
            DueDate = input.DueDate,
            Status = TicketStates.Open,
        };
    }

    /// <summary>The mini-grid of the customer's primary address, else of their first meter.</summary>
    private Task<long?> CustomerMiniGridAsync(long customerId, CancellationToken cancellationToken) =>
        (from v in db.Villages
         where db.Addresses.Any(a => a.CustomerId == customerId && a.IsPrimary && a.VillageId == v.Id)
             || db.Meters.Any(m => m.CustomerId == customerId && m.VillageId == v.Id)
         orderby db.Addresses.Any(a => a.CustomerId == customerId && a.IsPrimary && a.VillageId == v.Id) descending, v.Id
         select (long?)v.MiniGridId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Inserts a validated ticket in the caller's transaction, with its history and outbox rows; returns its id.</summary>
    public async Task<long> InsertAsync(TicketRecord ticket, string actor, string? details, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        ticket.CreatedAt = now;
        ticket.CreatedBy = actor;
        ticket.Provider = await providers.CurrentAsync(cancellationToken);
        ticket.Id = await db.InsertWithInt64IdentityAsync(ticket, token: cancellationToken);
        await HistoryAsync(ticket.Id, actor, "created", details, now, cancellationToken);
        await EnqueueAsync(ticket, TicketAction.Create, null, now, cancellationToken);
        return ticket.Id;
    }

    /// <summary>Adds a comment (from the web or an SMS), with its history and, for a synced ticket, its outbox row.</summary>
    public async Task<ChangeResult> CommentAsync(long ticketId, string? text, string author, CancellationToken cancellationToken = default)
    {
        var body = text?.Trim() ?? "";
        if (body.Length == 0)
        {
            return new ChangeResult(new Dictionary<string, string> { ["text"] = "the comment is empty" });
        }

        if (body.Length > MaxTextLength)
        {
            return new ChangeResult(new Dictionary<string, string> { ["text"] = $"the comment must have at most {MaxTextLength} characters" });
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return ChangeResult.Missing;
        }

        await AddCommentAsync(ticket, author, body, CommentSource.Web, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return ChangeResult.Done;
    }

    /// <summary>Adds a comment in the caller's transaction. Comments that came from the provider are not sent back to it.</summary>
    public async Task AddCommentAsync(TicketRecord ticket, string author, string text, string source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.InsertAsync(new TicketCommentRecord { TicketId = ticket.Id, Author = author, Text = text, Source = source, CreatedAt = now }, token: cancellationToken);
        await HistoryAsync(ticket.Id, author, "commented", source == CommentSource.Web ? null : $"by {source}", now, cancellationToken);
        if (source != CommentSource.Provider)
        {
            await EnqueueAsync(ticket, TicketAction.Comment, $"{author}: {text}", now, cancellationToken);
        }
    }

    public async Task<ChangeResult> AssignAsync(long ticketId, long? assigneeId, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return ChangeResult.Missing;
        }

        TicketUserRecord? assignee = null;
        if (assigneeId is { } id && (assignee = await db.TicketUsers.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)) is null)
        {
            return new ChangeResult(new Dictionary<string, string> { ["assigneeId"] = "the chosen assignee does not exist" });
        }

        if (ticket.AssigneeId == assigneeId)
        {
            return ChangeResult.Done;
        }

        var now = clock.GetUtcNow();
        await db.Tickets.Where(t => t.Id == ticketId).Set(t => t.AssigneeId, assigneeId).UpdateAsync(cancellationToken);
        await HistoryAsync(ticketId, actor, "assigned", assignee is null ? "unassigned" : $"to {assignee.Name} {assignee.Tag}", now, cancellationToken);
        await EnqueueAsync(ticket, TicketAction.Assign, assignee?.Tag, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return ChangeResult.Done;
    }

    /// <summary>Closes or reopens a ticket; doing what is already so changes nothing.</summary>
    public async Task<ChangeResult> SetClosedAsync(long ticketId, bool closed, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return ChangeResult.Missing;
        }

        if (await ChangeStatusAsync(ticket, closed, actor, null, cancellationToken))
        {
            await EnqueueAsync(ticket, closed ? TicketAction.Close : TicketAction.Reopen, null, clock.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return ChangeResult.Done;
    }

    /// <summary>Sets the status in the caller's transaction; false when it already was.</summary>
    public async Task<bool> ChangeStatusAsync(TicketRecord ticket, bool closed, string actor, string? details, CancellationToken cancellationToken)
    {
        var status = closed ? TicketStates.Closed : TicketStates.Open;
        if (ticket.Status == status)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await db.Tickets.Where(t => t.Id == ticket.Id)
            .Set(t => t.Status, status).Set(t => t.ClosedAt, closed ? now : null)
            .UpdateAsync(cancellationToken);
        ticket.Status = status;
        await HistoryAsync(ticket.Id, actor, closed ? "closed" : "reopened", details, now, cancellationToken);
        return true;
    }

    public Task HistoryAsync(long ticketId, string actor, string action, string? details, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.InsertAsync(new TicketHistoryRecord { TicketId = ticketId, Actor = actor, Action = action, Details = details, At = at }, token: cancellationToken);

    private async Task EnqueueAsync(TicketRecord ticket, string action, string? payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ticket.Provider is { } provider)
        {
            await db.InsertAsync(new TicketOutboxRecord
            {
                TicketId = ticket.Id, Provider = provider, Action = action, Payload = payload, Status = "pending", NextAttemptAt = now, CreatedAt = now,
            }, token: cancellationToken);
        }
    }

    [GeneratedRegex("^#[0-9a-f]{6}$")]
    private static partial Regex ColourPattern();

    [GeneratedRegex(@"^@[A-Za-z0-9_.\-]{1,100}$")]
    private static partial Regex TagPattern();
}
