namespace MPM.Web.Features.Payments;

/// <summary>
/// Wakes all of this host's waiting workers as soon as work was committed, instead of waiting for their next poll.
/// Only a hint: the work itself is in PostgreSQL, and workers on other hosts find it by polling.
/// </summary>
public sealed class PipelineSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _next).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
