namespace MPM.Sdk.Sms;

/// <summary>An SMS gateway. Registered keyed by the plugin id.</summary>
public interface ISmsGateway
{
    Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken);
}

public sealed record OutgoingSms(long MessageId, string To, string Body);

/// <param name="Transient">When not accepted: true asks the host to retry.</param>
public sealed record SmsSendResult(bool Accepted, string? GatewayMessageId, string? Error, bool Transient);

/// <summary>The core's SMS inbox, called by gateway plugins' endpoints.</summary>
public interface ISmsInbox
{
    Task ReceiveAsync(IncomingSms message, CancellationToken cancellationToken = default);

    Task DeliveryReportAsync(SmsDeliveryReport report, CancellationToken cancellationToken = default);
}

public sealed record IncomingSms(string GatewayId, string From, string Text, DateTimeOffset ReceivedAt, string? GatewayMessageId);

public sealed record SmsDeliveryReport(string GatewayId, string GatewayMessageId, SmsDeliveryStatus Status, string? Reason);

public enum SmsDeliveryStatus
{
    Sent,
    Delivered,
    Failed,
}
