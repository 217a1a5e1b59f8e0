using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Web.Features.Payments;
using MPM.Web.Security;

namespace MPM.Web.Features.Sms;

/// <summary>What a template is for and the placeholders its sender fills in; Required ones must stay in the text.</summary>
public sealed record SmsTemplateKind(string Title, IReadOnlyList<string> Placeholders, IReadOnlyList<string> Required);

public sealed record SmsTemplateRow(string Key, string Title, string Body, IReadOnlyList<string> Placeholders, IReadOnlyList<string> Required, DateTimeOffset UpdatedAt);

/// <summary>
/// The SMS templates (payment confirmations, resend, and any a feature adds), editable by managers and admins. A text
/// is checked before it is saved: not empty, not too long, braces balanced, only the placeholders its sender fills in,
/// and the ones the message exists for (the token) kept. A bad text is refused with every problem and nothing saved.
/// </summary>
public sealed partial class SmsTemplateCatalog(MpmDb db, AuditLog audit, TimeProvider clock)
{
    private static readonly string[] PaymentPlaceholders = ["meter", "token", "kwh", "amount", "currency", "allocations", "reason", "reference"];

    /// <summary>The templates whose placeholders the core fills in (see SmsComposer.Fill and the resend keyword).</summary>
    public static IReadOnlyDictionary<string, SmsTemplateKind> Known { get; } = new Dictionary<string, SmsTemplateKind>
    {
        [SmsComposer.Confirmed] = new("Payment confirmed, with a token", PaymentPlaceholders, ["token"]),
        [SmsComposer.ConfirmedWithoutToken] = new("Payment confirmed, no token", PaymentPlaceholders, []),
        [SmsComposer.Cancelled] = new("Payment could not be processed", PaymentPlaceholders, []),
        [SmsInbox.ResendTemplate] = new("Reply to the resend keyword", ["meter", "token", "kwh"], ["token"]),
    };

    public async Task<IReadOnlyList<SmsTemplateRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var templates = await db.SmsTemplates.OrderBy(t => t.Key).ToListAsync(cancellationToken);
        return templates.Select(t => Row(t.Key, t.Body, t.UpdatedAt)).ToList();
    }

    /// <summary>Saves the text when it is valid; otherwise returns every problem and saves nothing. Null for an unknown key.</summary>
    public async Task<IReadOnlyList<string>?> SaveAsync(string key, string? body, string actor, CancellationToken cancellationToken = default)
    {
        var stored = await db.SmsTemplates.FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var text = body?.Trim() ?? "";
        var problems = Validate(Row(key, stored.Body, stored.UpdatedAt), text);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.SmsTemplates.Where(t => t.Key == key).Set(t => t.Body, text).Set(t => t.UpdatedAt, clock.GetUtcNow()).UpdateAsync(cancellationToken);
        await audit.WriteAsync(actor, "sms.template", $"SMS template {key} changed to: {text}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }

    /// <summary>The problems of <paramref name="text"/> as the template <paramref name="template"/>; empty when it may be saved.</summary>
    public static IReadOnlyList<string> Validate(SmsTemplateRow template, string text)
    {
        var problems = new List<string>();
        if (text.Length == 0)
        {
            problems.Add("The text is empty.");
            return problems;
        }

        if (text.Length > SmsCenter.MaxBodyLength)
        {
            problems.Add($"The text is {text.Length} characters long; at most {SmsCenter.MaxBodyLength}.");
        }

        var used = Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToList();
        if (Placeholder().Replace(text, "").IndexOfAny(['{', '}']) >= 0)
        {
            problems.Add("A brace is not part of a placeholder: write placeholders as {name}, with nothing else in braces.");
        }

        foreach (var unknown in used.Where(u => !template.Placeholders.Contains(u)).Distinct(StringComparer.Ordinal))
        {
            problems.Add($"Unknown placeholder {{{unknown}}}: this message can use {Braced(template.Placeholders)}.");
        }

        foreach (var missing in template.Required.Where(r => !used.Contains(r)))
        {
            problems.Add($"{{{missing}}} is missing: this message exists to carry it.");
        }

        return problems;
    }

    private static SmsTemplateRow Row(string key, string body, DateTimeOffset updatedAt)
    {
        // A template the core does not know (added by a feature) keeps the placeholders its current text uses.
        var kind = Known.GetValueOrDefault(key) ?? new SmsTemplateKind(key, Placeholder().Matches(body).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList(), []);
        return new SmsTemplateRow(key, kind.Title, body, kind.Placeholders, kind.Required, updatedAt);
    }

    public static string Braced(IEnumerable<string> placeholders) => string.Join(", ", placeholders.Select(p => $"{{{p}}}"));

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_.-]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
