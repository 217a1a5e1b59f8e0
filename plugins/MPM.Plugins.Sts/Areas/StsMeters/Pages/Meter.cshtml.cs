using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Plugins.Sts.Engine;
using MPM.Plugins.Sts.Vending;
using MPM.Sdk;
using MPM.Sdk.Meters;

namespace MPM.Plugins.Sts.Areas.StsMeters.Pages;

/// <summary>Admins issue management tokens for a meter and see its token history; every issued token is audit-logged.</summary>
[Authorize(Roles = OperatorRoles.Admin)]
public sealed class MeterModel(IMeterLookup meters, IPluginSettings settings, StsVending vending, IAuditTrail audit, TimeProvider clock) : PageModel
{
    /// <summary>Warn this long before a base date's TID rollover.</summary>
    public static readonly TimeSpan RolloverWarningPeriod = TimeSpan.FromDays(365);

    public string Serial { get; private set; } = "";

    public StsSettings? Settings { get; private set; }

    public string? Problem { get; private set; }

    public DateTime? Rollover { get; private set; }

    public bool RolloverWarning { get; private set; }

    public IssuedToken? Issued { get; private set; }

    public IReadOnlyList<IssuedToken> History { get; private set; } = [];

    public static string Grouped(string token) => string.Join(' ', token.Chunk(4).Select(c => new string(c)));

    public async Task<IActionResult> OnGetAsync(string serial, CancellationToken cancellationToken) =>
        await LoadAsync(serial, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string serial, int subclass, long value, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(serial, cancellationToken))
        {
            return NotFound();
        }

        if (Settings is null)
        {
            return Page();
        }

        if (!Enum.IsDefined((ManagementSubclass)subclass))
        {
            Problem = "Choose a management token: 0, 1, 5 or 6.";
            return Page();
        }

        try
        {
            Issued = await vending.ManagementAsync(Serial, (ManagementSubclass)subclass, value, Settings, User.Identity?.Name ?? "?", cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Problem = e.Message;
            return Page();
        }

        await audit.WriteAsync(User.Identity?.Name ?? "?", "sts.management-token", $"meter {Serial}: {(ManagementSubclass)subclass} value {value}, TID {Issued.Tid}", cancellationToken);
        History = await vending.HistoryAsync(Serial, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string serial, CancellationToken cancellationToken)
    {
        var meter = await meters.FindBySerialAsync(serial, cancellationToken);
        if (meter is null || meter.TokenGenerator != StsPlugin.Id)
        {
            return false;
        }

        Serial = meter.SerialNumber;
        try
        {
            Settings = StsSettings.Parse(await settings.GetForManufacturerAsync(StsPlugin.Id, meter.ManufacturerId, cancellationToken));
            Settings.KeyFor(Serial);
            Rollover = TokenIdentifier.RolloverAt(Settings.BaseDate);
            RolloverWarning = Rollover.Value - clock.GetUtcNow().UtcDateTime < RolloverWarningPeriod;
        }
        catch (ArgumentException e)
        {
            Settings = null;
            Problem = $"Tokens cannot be made for this meter: {e.Message}";
        }

        History = await vending.HistoryAsync(Serial, cancellationToken);
        return true;
    }
}
