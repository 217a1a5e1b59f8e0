using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Sms;

namespace MPM.Plugins.AfricasTalking;

/// <summary>Africa's Talking's form posts: delivery reports (id, status, failureReason) and incoming SMS (from, text, date, id).</summary>
public static class AfricasTalkingCallbacks
{
    public const string SecretHeader = "X-MPM-Key";
    public const string SecretQuery = "key";

    public static async Task<IResult> DeliveryReportAsync(HttpContext context)
    {
        if (await RefusedAsync(context) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var id = form["id"].ToString();
        if (id.Length == 0)
        {
            return Results.BadRequest(new { error = "id is missing" });
        }

        // Success is delivered, Rejected and Failed are final failures; Sent, Submitted and Buffered are still on the way.
        var status = form["status"].ToString() switch
        {
            "Success" => SmsDeliveryStatus.Delivered,
            "Rejected" or "Failed" => SmsDeliveryStatus.Failed,
            _ => SmsDeliveryStatus.Sent,
        };
        var reason = form["failureReason"].ToString() is { Length: > 0 } failure ? $"{form["status"]}: {failure}" : form["status"].ToString();
        await context.RequestServices.GetRequiredService<ISmsInbox>().DeliveryReportAsync(
            new SmsDeliveryReport(AfricasTalkingPlugin.Id, id, status, reason), context.RequestAborted);
        return Results.Json(new { status = "success" });
    }

    public static async Task<IResult> IncomingAsync(HttpContext context)
    {
        if (await RefusedAsync(context) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var from = form["from"].ToString();
        if (from.Length == 0)
        {
            return Results.BadRequest(new { error = "from is missing" });
        }

        var clock = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var at = DateTimeOffset.TryParse(form["date"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : clock.GetUtcNow();
        var id = form["id"].ToString();
        await context.RequestServices.GetRequiredService<ISmsInbox>().ReceiveAsync(
            new IncomingSms(AfricasTalkingPlugin.Id, from, form["text"].ToString(), at, id.Length == 0 ? null : id), context.RequestAborted);
        return Results.Json(new { status = "success" });
    }

    /// <summary>401 unless the request carries the callback secret; 415 for a body that is not a form.</summary>
    private static async Task<IResult?> RefusedAsync(HttpContext context)
    {
        var settings = await context.RequestServices.GetRequiredService<IPluginSettings>().GetAsync(AfricasTalkingPlugin.Id, context.RequestAborted);
        var expected = AfricasTalkingOptions.From(settings).CallbackSecret;
        var given = context.Request.Headers[SecretHeader].ToString() is { Length: > 0 } header ? header : context.Request.Query[SecretQuery].ToString();
        if (!SameSecret(given, expected))
        {
            return Results.Unauthorized();
        }

        return context.Request.HasFormContentType ? null : Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>Compares in constant time (over hashes, so the length of the secret does not show either).</summary>
    internal static bool SameSecret(string given, string? expected) =>
        !string.IsNullOrEmpty(expected) && given.Length > 0 &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
