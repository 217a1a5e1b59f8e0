using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Samples.PaymentProvider;

/// <summary>
/// The plugin's entry point. A provider plugin does three things: it receives the provider's payment requests on its
/// own endpoint and hands them to the core's <see cref="IPaymentIntake"/>; it tells the provider the outcome when the
/// core calls <see cref="IPaymentProvider.ReportOutcomeAsync"/>; and it shows its data on the transaction page.
/// </summary>
public sealed class SamplePaymentPlugin : IPlugin
{
    public const string Id = "sample-pay";

    public void Configure(IPluginBuilder plugin)
    {
        plugin.Services.AddScoped<WebhookEndpoint>();
        // The role: keyed by the plugin id, which is also the "provider" of every transaction this plugin submits.
        plugin.Services.AddKeyedScoped<IPaymentProvider, SamplePaymentProvider>(plugin.Manifest.Id);

        plugin.AddSetting(new PluginSetting(SampleSettings.SecretKey, "Webhook secret", Secret: true, Required: true,
            Help: "Shared with the provider: requests and callbacks are signed with HMAC-SHA256 under it."));
        plugin.AddSetting(new PluginSetting(SampleSettings.CallbackUrlKey, "Callback URL",
            Help: "Where the outcome of each payment is posted. Empty: outcomes are recorded as \"not sent: no URL configured\"."));
        plugin.AddSetting(new PluginSetting(SampleSettings.CurrencyKey, "Currency", Required: true, DefaultValue: "TZS"));

        // POST /plugins/sample-pay/webhook. Anonymous for the host: the endpoint authenticates the caller by its signature.
        plugin.MapEndpoints(e => e.MapPost("webhook", (HttpContext http, WebhookEndpoint endpoint) => endpoint.HandleAsync(http, http.RequestAborted))
            .AllowAnonymous());
    }
}

/// <summary>The plugin's settings as stored by the host (secrets decrypted).</summary>
public sealed record SampleSettings(string? Secret, string? CallbackUrl, string Currency)
{
    public const string SecretKey = "webhookSecret";
    public const string CallbackUrlKey = "callbackUrl";
    public const string CurrencyKey = "currency";

    public static async Task<SampleSettings> LoadAsync(IPluginSettings settings, CancellationToken cancellationToken)
    {
        var values = await settings.GetAsync(SamplePaymentPlugin.Id, cancellationToken);
        string? Value(string key) => string.IsNullOrWhiteSpace(values.GetValueOrDefault(key)) ? null : values[key]!.Trim();
        return new SampleSettings(Value(SecretKey), Value(CallbackUrlKey), Value(CurrencyKey) ?? "TZS");
    }
}
