namespace Streaming.Senders;

/// <summary>
/// Retries a write that has to become durable before a consumer's offset may move (a log row, a record on Kafka): from
/// 100 ms, doubling up to a cap, for as long as it fails in a way that can pass, until it succeeds or the work is stopped.
/// </summary>
internal static class DurableRetry
{
    /// <summary>Runs <paramref name="write"/> until it succeeds; <paramref name="failed"/> hears each retryable failure.</summary>
    public static async Task RunAsync(Func<Task> write, Func<Exception, bool> retryable, TimeSpan maxDelay, Action<Exception> failed, TimeProvider time, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await write().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (retryable(e) && !ct.IsCancellationRequested)
            {
                failed(e);
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(maxDelay.TotalMilliseconds, delay.TotalMilliseconds * 2));
            }
        }
    }
}
