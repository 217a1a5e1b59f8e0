using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk;
using MPM.Sdk.Ticketing;
using MPM.Web.Plugins;
using MPM.Web.Security;

namespace MPM.Web.Features.Tickets;

/// <summary>
/// Which external ticketing system tickets are synced to: the operator setting 'tickets.provider' (absent: the built-in
/// store only). A provider is an <see cref="ITicketingProvider"/> registered keyed by its plugin id (e.g. "trello").
/// </summary>
public sealed class TicketingProviders(MpmDb db, IServiceProvider services, PluginHost plugins, AuditLog audit)
{
    public const string SettingKey = "tickets.provider";

    /// <summary>The active plugins that say they are ticketing systems, by id.</summary>
    public IReadOnlyList<string> Choices => plugins.Active.Where(p => p.Manifest?.Kinds.Contains(PluginKinds.Ticketing) == true).Select(p => p.Id).Order().ToList();

    /// <summary>The configured provider id, or null for the built-in store only.</summary>
    public Task<string?> CurrentAsync(CancellationToken cancellationToken = default) =>
        db.OperatorSettings.Where(s => s.Key == SettingKey).Select(s => (string?)s.Value).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The provider registered under this id, or null when no active plugin registers it.</summary>
    public ITicketingProvider? Resolve(string id) => services.GetKeyedService<ITicketingProvider>(id);

    /// <summary>Sets the provider (null or blank: built-in only); the problem when the id names no registered provider.</summary>
    public async Task<string?> SetAsync(string? providerId, string actor, CancellationToken cancellationToken = default)
    {
        var id = string.IsNullOrWhiteSpace(providerId) ? null : providerId.Trim();
        if (id is not null && Resolve(id) is null)
        {
            return $"'{id}' is not an active ticketing plugin";
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        if (id is null)
        {
            await db.OperatorSettings.Where(s => s.Key == SettingKey).DeleteAsync(cancellationToken);
        }
        else
        {
            await db.InsertOrReplaceAsync(new OperatorSettingRecord { Key = SettingKey, Value = id }, token: cancellationToken);
        }

        await audit.WriteAsync(actor, SettingKey, $"ticketing provider set to {id ?? "built-in only"}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
