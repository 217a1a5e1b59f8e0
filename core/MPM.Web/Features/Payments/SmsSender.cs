using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Data;
using MPM.Sdk.Sms;
using MPM.Web.Features.Operator;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Sends queued SMS through the SMS gateway plugin chosen in the operator settings ('sms.gateway'). Until one is
/// configured and active, messages stay queued and visible. Transient gateway failures retry with backoff, a bounded
/// number of times; the gateway's reason is recorded.
/// </summary>
public sealed class SmsSender(MpmDb db, IServiceProvider services, OperatorProfile profile, TimeProvider clock, IConfiguration configuration, ILogger<SmsSender> logger)
{
    public static readonly TimeSpan NoGatewayRecheck = TimeSpan.FromMinutes(1);
    private int MaxAttempts => configuration.GetValue("Pipeline:MaxSmsAttempts", 10);

    /// <summary>The wait before the first retry; it doubles with every attempt, up to 10 minutes.</summary>
    private TimeSpan RetryDelay => configuration.GetValue("Pipeline:SmsRetryDelay", TimeSpan.FromSeconds(5));

    public async Task SendAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken)
    {
        var messages = await db.SmsMessages.Where(m => messageIds.Contains(m.Id) && m.Status == SmsStatus.Queued).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        if (messages.Count == 0)
        {
            return;
        }

        var gatewayId = (await profile.GetAsync(cancellationToken)).SmsGateway;
        var gateway = gatewayId is null ? null : services.GetKeyedService<ISmsGateway>(gatewayId);
        var ids = messages.Select(m => m.Id).ToList();
        if (gateway is null)
        {
            var now = clock.GetUtcNow();
            await db.SmsMessages.Where(m => ids.Contains(m.Id))
                .Set(m => m.NextAttemptAt, now + NoGatewayRecheck).Set(m => m.ClaimedUntil, (DateTimeOffset?)null)
                .Set(m => m.Reason, gatewayId is null ? "no SMS gateway configured" : $"SMS gateway plugin '{gatewayId}' is not active")
                .UpdateAsync(cancellationToken);
            return;
        }

        var results = new List<SmsSendResult>();
        foreach (var message in messages)
        {
            // The gateway plugin's own lines (and its HTTP client's) carry the payment's transaction id through this scope.
            using var logScope = message.TransactionId is { } transactionId ? PipelineLog.ForPayment(logger, transactionId) : null;
            try
            {
                results.Add(await gateway.SendAsync(new OutgoingSms(message.Id, message.Phone, message.Body), cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results.Add(new SmsSendResult(false, null, $"{e.GetType().Name}: {e.Message}", Transient: true));
            }

            if (results[^1].Accepted)
            {
                logger.LogInformation("SMS {SmsId} of payment {TransactionId} sent through {Gateway} ({GatewayMessageId})", message.Id, message.TransactionId, gatewayId, results[^1].GatewayMessageId);
            }
            else
            {
                logger.LogWarning("SMS {SmsId} of payment {TransactionId} not sent through {Gateway} (attempt {Attempt}): {Error}", message.Id, message.TransactionId, gatewayId, message.Attempts + 1, results[^1].Error);
            }
        }

        var at = clock.GetUtcNow();
        var attempts = messages.Select(m => m.Attempts + 1).ToArray();
        await db.ExecuteAsync("""
            UPDATE mpm.sms_messages m SET status = u.status, attempts = u.attempts, gateway = @gateway, gateway_message_id = u.gateway_message_id,
                reason = u.reason, next_attempt_at = u.next_attempt_at, claimed_until = NULL, updated_at = @now
            FROM unnest(@ids, @statuses, @attempts, @gatewayIds, @reasons, @next) AS u(id, status, attempts, gateway_message_id, reason, next_attempt_at)
            WHERE m.id = u.id
            """, cancellationToken,
            new DataParameter("gateway", gatewayId), new DataParameter("now", at), new DataParameter("ids", ids.ToArray()),
            new DataParameter("statuses", results.Select((r, i) => r.Accepted ? SmsStatus.Sent : r.Transient && attempts[i] < MaxAttempts ? SmsStatus.Queued : SmsStatus.Failed).ToArray()),
            new DataParameter("attempts", attempts), new DataParameter("gatewayIds", results.Select(r => r.GatewayMessageId).ToArray()),
            new DataParameter("reasons", results.Select(r => r.Accepted ? null : r.Error).ToArray()),
            new DataParameter("next", attempts.Select(a => at + RetryBackoff.Exponential(RetryDelay, a, TimeSpan.FromMinutes(10))).ToArray()));
    }
}
