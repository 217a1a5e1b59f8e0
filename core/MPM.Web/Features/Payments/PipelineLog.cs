namespace MPM.Web.Features.Payments;

/// <summary>
/// The logging scope of one payment's work: every line logged inside it — by the core or by a plugin (token generator,
/// provider, SMS gateway, their HTTP clients) — carries the structured property <c>TransactionId</c>.
/// </summary>
public static class PipelineLog
{
    public const string TransactionId = "TransactionId";

    public static IDisposable? ForPayment(ILogger logger, long transactionId) =>
        logger.BeginScope(new Dictionary<string, object> { [TransactionId] = transactionId });
}
