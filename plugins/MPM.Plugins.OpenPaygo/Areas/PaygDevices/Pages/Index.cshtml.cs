using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MPM.Plugins.OpenPaygo.Devices;
using MPM.Plugins.OpenPaygo.Engine;
using MPM.Sdk;

namespace MPM.Plugins.OpenPaygo.Areas.PaygDevices.Pages;

/// <summary>Devices and manual tokens (e.g. a goodwill day, or unlocking a paid-off device); every token is audit-logged.</summary>
public sealed class DevicesModel(OpenPaygoDevices devices, IAuditTrail audit) : PageModel
{
    public IReadOnlyList<Device> Devices { get; private set; } = [];

    public DeviceToken? Issued { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Devices = await devices.ListAsync(cancellationToken);

    [Authorize(Roles = OperatorRoles.Admin)]
    public async Task<IActionResult> OnPostRegisterAsync(string serial, string key, uint? startingCode, CancellationToken cancellationToken)
    {
        try
        {
            var device = await devices.RegisterAsync(serial ?? "", key ?? "", startingCode, cancellationToken);
            await audit.WriteAsync(Actor, "openpaygo.device", $"registered device {device.Serial}", cancellationToken);
        }
        catch (ArgumentException e)
        {
            Problem = e.Message;
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    [Authorize(Roles = OperatorRoles.ManagerOrAdmin)]
    public async Task<IActionResult> OnPostIssueAsync(string serial, OpenPaygoTokenType type, int? value, bool extended, bool restricted, CancellationToken cancellationToken)
    {
        try
        {
            var needsValue = type is OpenPaygoTokenType.AddTime or OpenPaygoTokenType.SetTime;
            Issued = await devices.IssueAsync(serial ?? "", type, needsValue ? value : null, extended, restricted, reference: null, Actor, cancellationToken);
            await audit.WriteAsync(Actor, "openpaygo.token", $"device {Issued.DeviceSerial}: {Issued.Type} {Issued.Value} (count {Issued.Count})", cancellationToken);
        }
        catch (ArgumentException e)
        {
            Problem = e.Message;
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    private string Actor => User.Identity?.Name ?? "?";
}
