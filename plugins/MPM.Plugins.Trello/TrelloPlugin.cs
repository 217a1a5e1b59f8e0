using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Ticketing;

namespace MPM.Plugins.Trello;

/// <summary>
/// Tickets as Trello cards (PROTOCOLS.md 5): the core's ticketing outbox creates, comments, assigns and closes through
/// the keyed <see cref="ITicketingProvider"/>; Trello's webhook at /plugins/trello/webhook brings comments, closing and
/// reopening back through the core's <see cref="ITicketEvents"/>. <c>trello register-webhook</c> registers that webhook.
/// </summary>
public sealed class TrelloPlugin : IPlugin
{
    public const string Id = "trello";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddSingleton(sp => new TrelloApi(new HttpClient(), TrelloRetry.For(sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        plugin.Services.AddScoped(sp => new TrelloActions(sp.GetRequiredService<IPluginDatabase>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        plugin.Services.AddKeyedScoped<ITicketingProvider, TrelloTicketingProvider>(Id);
        foreach (var setting in TrelloOptions.Declared)
        {
            plugin.AddSetting(setting);
        }

        plugin.AddCliVerb<TrelloVerb>("trello", "trello register-webhook: registers the webhook on the board with the plugin's callback URL", needsDatabase: true);
        plugin.MapEndpoints(endpoints =>
        {
            endpoints.MapMethods("/webhook", ["HEAD", "GET"], (Delegate)TrelloWebhook.Check).AllowAnonymous();
            endpoints.MapPost("/webhook", (Delegate)TrelloWebhook.HandleAsync).AllowAnonymous();
        });
    }
}
