using System.Net;
using Microsoft.Extensions.Logging;
using MPM.Sdk;
using MPM.Sdk.Ticketing;

namespace MPM.Plugins.Trello;

/// <summary>
/// The SDK's ticketing provider: a ticket is a card on the configured list; its reference is the card id. Failures
/// are thrown (see <see cref="TrelloApi"/>) for the core's ticketing outbox to retry with backoff.
/// </summary>
public sealed class TrelloTicketingProvider(IPluginSettings settings, TrelloApi api, TrelloActions actions, ILogger<TrelloTicketingProvider> logger) : ITicketingProvider
{
    public async Task<string> CreateAsync(TicketInfo ticket, CancellationToken cancellationToken)
    {
        var options = await OptionsAsync(cancellationToken);
        string? memberId = null;
        if (Username(ticket.AssigneeTag) is { } username)
        {
            memberId = await api.MemberIdAsync(options, username, cancellationToken);
            if (memberId is null)
            {
                logger.LogWarning("Ticket {TicketId}: Trello has no member @{Username}; the card is created without a member", ticket.TicketId, username);
            }
        }

        var description = $"{ticket.Description}\n\nCategory: {ticket.Category} · MPM ticket #{ticket.TicketId}";
        var cardId = await api.CreateCardAsync(options, options.ListId!, ticket.Title, description, ticket.Due, memberId, cancellationToken);
        logger.LogInformation("Ticket {TicketId} is Trello card {CardId}", ticket.TicketId, cardId);
        return cardId;
    }

    public async Task CommentAsync(string externalReference, string text, CancellationToken cancellationToken)
    {
        var options = await OptionsAsync(cancellationToken);
        await actions.ExpectOwnCommentAsync(externalReference, text, cancellationToken);
        var actionId = await api.CommentAsync(options, externalReference, text, cancellationToken);
        await actions.RememberOwnAsync(actionId, externalReference, text, cancellationToken);
    }

    public async Task AssignAsync(string externalReference, string? assigneeTag, CancellationToken cancellationToken)
    {
        var options = await OptionsAsync(cancellationToken);
        var memberId = "";
        if (Username(assigneeTag) is { } username)
        {
            memberId = await api.MemberIdAsync(options, username, cancellationToken)
                ?? throw new HttpRequestException($"Trello has no member @{username} to assign card {externalReference} to", null, HttpStatusCode.NotFound);
        }

        await api.UpdateCardAsync(options, externalReference, [new("idMembers", memberId)], cancellationToken);
    }

    public async Task SetClosedAsync(string externalReference, bool closed, CancellationToken cancellationToken)
    {
        var options = await OptionsAsync(cancellationToken);
        IReadOnlyList<KeyValuePair<string, string>> fields = options.ClosedListId is null
            ? [new("closed", closed ? "true" : "false")]
            : closed
                ? [new("idList", options.ClosedListId)]
                : [new("idList", options.ListId!), new("closed", "false")];
        await api.UpdateCardAsync(options, externalReference, fields, cancellationToken);
    }

    public async Task<bool> UserExistsAsync(string tag, CancellationToken cancellationToken) =>
        Username(tag) is { } username && await api.FindMemberAsync(await OptionsAsync(cancellationToken), username, cancellationToken) is not null;

    /// <summary>A ticketing tag as a Trello username: trimmed, without its leading @; null when blank.</summary>
    internal static string? Username(string? tag) => tag?.Trim().TrimStart('@').Trim() is { Length: > 0 } username ? username : null;

    private async Task<TrelloOptions> OptionsAsync(CancellationToken cancellationToken)
    {
        var options = TrelloOptions.From(await settings.GetAsync(TrelloPlugin.Id, cancellationToken));
        options.EnsureUsable();
        return options;
    }
}
