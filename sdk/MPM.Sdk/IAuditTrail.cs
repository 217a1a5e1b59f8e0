namespace MPM.Sdk;

/// <summary>The core's audit log: who did what, when. Plugins record sensitive actions here (e.g. a management token issued).</summary>
public interface IAuditTrail
{
    Task WriteAsync(string actor, string action, string details, CancellationToken cancellationToken = default);
}
