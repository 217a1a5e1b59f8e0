namespace MPM.Web.Features;

/// <summary>The wait before a retry, shared by the pipeline, the outboxes and the SMS sender.</summary>
public static class RetryBackoff
{
    /// <summary>The first delay, doubled for each further attempt, never more than the cap.</summary>
    public static TimeSpan Exponential(TimeSpan first, int attempts, TimeSpan cap) =>
        TimeSpan.FromSeconds(Math.Min(cap.TotalSeconds, first.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30))));
}
