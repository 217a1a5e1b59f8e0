using System.Net;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Ticketing;
using MPM.Web.Features.Payments;

namespace MPM.Web.Features.Tickets;

/// <summary>Wakes the ticket outbox loop as soon as a change was committed (a hint; the loop also polls).</summary>
public sealed class TicketOutboxSignal
{
    private readonly PipelineSignal _inner = new();

    public void Notify() => _inner.Notify();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _inner.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Delivers ticket changes to the ticket's ticketing provider, in order per ticket: a row is due only when no earlier
/// row of its ticket is still pending, so a comment never overtakes the create it needs. A failure is retried with
/// exponential backoff (capped), longer after a rate-limit answer (HTTP 429); after the last attempt the row is failed
/// and the ticket's later rows follow it. The reference that CreateAsync returns is stored on the ticket.
/// </summary>
public sealed class TicketOutbox(MpmDb db, TicketingProviders providers, TicketDesk desk, TimeProvider clock, IConfiguration configuration, ILogger<TicketOutbox> logger)
{
    public const int BatchSize = 20;
    public const int RateLimitFactor = 4;
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan NotActiveRecheck = TimeSpan.FromMinutes(1);

    /// <summary>Pending, and the first pending row of its ticket.</summary>
    public const string DueCondition =
        "status = 'pending' AND NOT EXISTS (SELECT 1 FROM mpm.ticket_outbox e WHERE e.ticket_id = ticket_outbox.ticket_id AND e.status = 'pending' AND e.id < ticket_outbox.id)";

    private int MaxAttempts => configuration.GetValue("Tickets:MaxAttempts", 30);

    private TimeSpan FirstRetry => configuration.GetValue("Tickets:RetryDelay", TimeSpan.FromSeconds(5));

    private TimeSpan MaxRetry => configuration.GetValue("Tickets:MaxRetryDelay", TimeSpan.FromMinutes(15));

    /// <summary>The wait before the next attempt: the first delay doubled per attempt, times 4 after a 429, never more than the cap.</summary>
    public static TimeSpan Backoff(int attempts, bool rateLimited, TimeSpan first, TimeSpan cap) =>
        RetryBackoff.Exponential(rateLimited ? first * RateLimitFactor : first, attempts, cap);

    /// <summary>Claims the due rows and delivers them; returns how many it handled.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken = default)
    {
        var ids = await WorkClaims.ClaimAsync(db, "ticket_outbox", DueCondition, BatchSize, clock.GetUtcNow(), ClaimFor, cancellationToken);
        foreach (var id in ids)
        {
            await DeliverAsync(id, cancellationToken);
        }

        return ids.Count;
    }

    private async Task DeliverAsync(long id, CancellationToken cancellationToken)
    {
        var row = await db.TicketOutbox.FirstAsync(o => o.Id == id, cancellationToken);
        var ticket = await db.Tickets.FirstAsync(t => t.Id == row.TicketId, cancellationToken);
        if (row.Status != "pending")
        {
            return;
        }

        if (providers.Resolve(row.Provider) is not { } provider)
        {
            // Not a failure of the provider: the plugin is off. The change waits until it is active again.
            await db.TicketOutbox.Where(o => o.Id == id)
                .Set(o => o.NextAttemptAt, clock.GetUtcNow() + NotActiveRecheck).Set(o => o.ClaimedUntil, (DateTimeOffset?)null)
                .Set(o => o.LastError, $"ticketing provider '{row.Provider}' is not active")
                .UpdateAsync(cancellationToken);
            return;
        }

        if (row.Action != TicketAction.Create && ticket.ExternalReference is null)
        {
            await FinishAsync(row, "failed", $"the ticket was never created in {row.Provider}", cancellationToken);
            return;
        }

        string? reference = null;
        try
        {
            reference = await SendAsync(provider, row, ticket, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var attempts = row.Attempts + 1;
            var rateLimited = e is HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests };
            var error = $"{e.GetType().Name}{(e is HttpRequestException { StatusCode: { } code } ? $" {(int)code}" : "")}: {e.Message}";
            logger.LogWarning("Ticket {TicketId}: {Action} to {Provider} failed (attempt {Attempt}): {Error}", row.TicketId, row.Action, row.Provider, attempts, error);
            if (attempts >= MaxAttempts)
            {
                row.Attempts = attempts;
                await FinishAsync(row, "failed", error, cancellationToken);
                return;
            }

            await db.TicketOutbox.Where(o => o.Id == id)
                .Set(o => o.Attempts, attempts).Set(o => o.LastError, error).Set(o => o.ClaimedUntil, (DateTimeOffset?)null)
                .Set(o => o.NextAttemptAt, clock.GetUtcNow() + Backoff(attempts, rateLimited, FirstRetry, MaxRetry))
                .UpdateAsync(cancellationToken);
            return;
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        row.Attempts++;
        await FinishAsync(row, "delivered", null, cancellationToken);
        if (reference is not null)
        {
            await db.Tickets.Where(t => t.Id == ticket.Id).Set(t => t.ExternalReference, reference).UpdateAsync(cancellationToken);
            await desk.HistoryAsync(ticket.Id, row.Provider, "linked", $"created in {row.Provider} as {reference}", clock.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Makes the call; returns the new reference for a create.</summary>
    private async Task<string?> SendAsync(ITicketingProvider provider, TicketOutboxRecord row, TicketRecord ticket, CancellationToken cancellationToken)
    {
        var reference = ticket.ExternalReference!;
        switch (row.Action)
        {
            case TicketAction.Create:
                var category = await db.TicketCategories.Where(c => c.Id == ticket.CategoryId).Select(c => c.Name).FirstAsync(cancellationToken);
                var tag = ticket.AssigneeId is { } assignee ? await db.TicketUsers.Where(u => u.Id == assignee).Select(u => u.Tag).FirstOrDefaultAsync(cancellationToken) : null;
                var due = ticket.DueDate is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
                var created = await provider.CreateAsync(new TicketInfo(ticket.Id, ticket.Title, ticket.Description, category, tag, due), cancellationToken);
                return string.IsNullOrWhiteSpace(created) ? throw new InvalidOperationException($"{row.Provider} returned no reference for the new ticket") : created.Trim();
            case TicketAction.Comment:
                await provider.CommentAsync(reference, row.Payload ?? "", cancellationToken);
                return null;
            case TicketAction.Assign:
                await provider.AssignAsync(reference, row.Payload, cancellationToken);
                return null;
            default:
                await provider.SetClosedAsync(reference, row.Action == TicketAction.Close, cancellationToken);
                return null;
        }
    }

    private Task FinishAsync(TicketOutboxRecord row, string status, string? error, CancellationToken cancellationToken) =>
        db.TicketOutbox.Where(o => o.Id == row.Id)
            .Set(o => o.Status, status).Set(o => o.Attempts, row.Attempts).Set(o => o.LastError, error)
            .Set(o => o.ClaimedUntil, (DateTimeOffset?)null).Set(o => o.CompletedAt, clock.GetUtcNow())
            .UpdateAsync(cancellationToken);
}
