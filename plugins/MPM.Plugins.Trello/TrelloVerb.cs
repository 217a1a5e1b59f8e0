using MPM.Sdk;

namespace MPM.Plugins.Trello;

/// <summary><c>trello register-webhook</c>: POST /1/webhooks on the configured board with the configured callback URL.</summary>
public sealed class TrelloVerb(IPluginSettings settings, TrelloApi api) : ICliVerb
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args is not ["register-webhook"])
        {
            await error.WriteLineAsync("usage: trello register-webhook");
            return 2;
        }

        var options = TrelloOptions.From(await settings.GetAsync(TrelloPlugin.Id, cancellationToken));
        if (options.BoardId is null || options.CallbackUrl is null)
        {
            await error.WriteLineAsync("trello: set the plugin's board id and webhook callback URL first (Settings → Plugins → trello)");
            return 1;
        }

        try
        {
            var id = await api.RegisterWebhookAsync(options, options.BoardId, options.CallbackUrl, cancellationToken);
            await output.WriteLineAsync($"webhook {id} registered on board {options.BoardId} for {options.CallbackUrl}");
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or InvalidDataException)
        {
            await error.WriteLineAsync($"trello: {e.Message}");
            return 1;
        }
    }
}
