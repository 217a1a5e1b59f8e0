namespace MPM.Sdk.Ticketing;

/// <summary>An external ticketing system. Registered keyed by the plugin id.</summary>
public interface ITicketingProvider
{
    /// <summary>Creates the ticket there and returns its reference (e.g. a card id).</summary>
    Task<string> CreateAsync(TicketInfo ticket, CancellationToken cancellationToken);

    Task CommentAsync(string externalReference, string text, CancellationToken cancellationToken);

    Task AssignAsync(string externalReference, string? assigneeTag, CancellationToken cancellationToken);

    Task SetClosedAsync(string externalReference, bool closed, CancellationToken cancellationToken);

    /// <summary>Whether a ticketing user tag (e.g. a Trello @name) exists there.</summary>
    Task<bool> UserExistsAsync(string tag, CancellationToken cancellationToken);
}

public sealed record TicketInfo(long TicketId, string Title, string Description, string Category, string? AssigneeTag, DateTimeOffset? Due);

/// <summary>The core's ticket events, called by a ticketing plugin's webhook.</summary>
public interface ITicketEvents
{
    Task CommentAddedAsync(string providerId, string externalReference, string author, string text, CancellationToken cancellationToken = default);

    Task ClosedChangedAsync(string providerId, string externalReference, bool closed, CancellationToken cancellationToken = default);
}
