using System.Threading.Channels;

namespace MPM.Web.Features.Payments;

/// <summary>
/// Wakes this host's workers as soon as work was committed, instead of waiting for their next poll.
/// Only a hint: the work itself is in PostgreSQL, and workers on other hosts find it by polling.
/// </summary>
public sealed class PipelineSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
