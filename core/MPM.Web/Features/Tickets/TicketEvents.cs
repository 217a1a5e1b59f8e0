using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Ticketing;

namespace MPM.Web.Features.Tickets;

/// <summary>
/// What a ticketing plugin's webhook reports back: a comment or a close/reopen made in the external system. The ticket is
/// found by (provider id, external reference); an unknown reference is logged and changes nothing; a close of a closed
/// ticket (a retried webhook) changes nothing either. Nothing here goes back to the provider.
/// </summary>
public sealed class TicketEvents(MpmDb db, TicketDesk desk, ILogger<TicketEvents> logger) : ITicketEvents
{
    public async Task CommentAddedAsync(string providerId, string externalReference, string author, string text, CancellationToken cancellationToken = default)
    {
        var body = text?.Trim() ?? "";
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        if (await FindAsync(providerId, externalReference, "comment", cancellationToken) is not { } ticket)
        {
            return;
        }

        if (body.Length == 0)
        {
            logger.LogInformation("Empty comment from {Provider} on ticket {TicketId} ignored", providerId, ticket.Id);
            return;
        }

        var who = string.IsNullOrWhiteSpace(author) ? providerId : author.Trim();
        await desk.AddCommentAsync(ticket, who, body.Length > TicketDesk.MaxTextLength ? body[..TicketDesk.MaxTextLength] : body, CommentSource.Provider, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ClosedChangedAsync(string providerId, string externalReference, bool closed, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        if (await FindAsync(providerId, externalReference, closed ? "close" : "reopen", cancellationToken) is not { } ticket)
        {
            return;
        }

        if (!await desk.ChangeStatusAsync(ticket, closed, providerId, $"in {providerId}", cancellationToken))
        {
            logger.LogInformation("Ticket {TicketId} is already {Status}; {Provider}'s event changes nothing", ticket.Id, ticket.Status, providerId);
            return;
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<TicketRecord?> FindAsync(string providerId, string externalReference, string what, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Provider == providerId && t.ExternalReference == externalReference, cancellationToken);
        if (ticket is null)
        {
            logger.LogWarning("{Provider} reported a {What} for unknown reference {Reference}; nothing changed", providerId, what, externalReference);
        }

        return ticket;
    }
}
