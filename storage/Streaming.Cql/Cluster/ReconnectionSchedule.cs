namespace Streaming.Cql.Cluster;

/// <summary>
/// Exponential backoff between reconnection attempts: base × 2^attempt, capped at max, with ±15 % jitter so many
/// clients that lost the same node do not reconnect in lockstep.
/// </summary>
internal sealed class ReconnectionSchedule(TimeSpan baseDelay, TimeSpan maxDelay)
{
    public TimeSpan DelayBefore(int attempt)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        var jittered = capped * (0.85 + (Random.Shared.NextDouble() * 0.3));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, maxDelay.TotalMilliseconds));
    }
}
