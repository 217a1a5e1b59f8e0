using LinqToDB;
using LinqToDB.Async;
using MPM.Data;
using MPM.Sdk.Sms;
using MPM.Web.Features.Operator;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Sends queued SMS through the SMS gateway plugin chosen in the operator settings ('sms.gateway'). Until one is
/// configured and active, messages stay queued and visible. Transient gateway failures retry with backoff, a bounded
/// number of times; the gateway's reason is recorded.
/// </summary>
public sealed class SmsSender(MpmDb db, IServiceProvider services, OperatorProfile profile, TimeProvider clock, IConfiguration configuration)
{
    public static readonly TimeSpan NoGatewayRecheck = TimeSpan.FromMinutes(1);
    private int MaxAttempts => configuration.GetValue("Pipeline:MaxSmsAttempts", 10);

    public async Task SendAsync(long messageId, CancellationToken cancellationToken)
    {
        var message = await db.SmsMessages.FirstAsync(m => m.Id == messageId, cancellationToken);
        if (message.Status != SmsStatus.Queued)
        {
            return;
        }

        var gatewayId = (await profile.GetAsync(cancellationToken)).SmsGateway;
        var gateway = gatewayId is null ? null : services.GetKeyedService<ISmsGateway>(gatewayId);
        var now = clock.GetUtcNow();
        if (gateway is null)
        {
            await db.SmsMessages.Where(m => m.Id == messageId)
                .Set(m => m.NextAttemptAt, now + NoGatewayRecheck).Set(m => m.ClaimedUntil, (DateTimeOffset?)null)
                .Set(m => m.Reason, gatewayId is null ? "no SMS gateway configured" : $"SMS gateway plugin '{gatewayId}' is not active")
                .UpdateAsync(cancellationToken);
            return;
        }

        SmsSendResult result;
        try
        {
            result = await gateway.SendAsync(new OutgoingSms(message.Id, message.Phone, message.Body), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = new SmsSendResult(false, null, $"{e.GetType().Name}: {e.Message}", Transient: true);
        }

        var attempts = message.Attempts + 1;
        var status = result.Accepted ? SmsStatus.Sent : result.Transient && attempts < MaxAttempts ? SmsStatus.Queued : SmsStatus.Failed;
        await db.SmsMessages.Where(m => m.Id == messageId)
            .Set(m => m.Status, status).Set(m => m.Attempts, attempts).Set(m => m.Gateway, gatewayId)
            .Set(m => m.GatewayMessageId, result.GatewayMessageId).Set(m => m.Reason, result.Accepted ? null : result.Error)
            .Set(m => m.NextAttemptAt, now + TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, attempts))))
            .Set(m => m.ClaimedUntil, (DateTimeOffset?)null).Set(m => m.UpdatedAt, now)
            .UpdateAsync(cancellationToken);
    }
}
