namespace Streaming.Processors;

/// <summary>
/// Decides when a topology is stalled: it reports RUNNING or REBALANCING (a non-null progress count) and the count has not
/// moved for the limit. Any other state (created, shutting down, error) gives a null count and resets the clock.
/// </summary>
internal sealed class StallDetector(TimeSpan limit)
{
    private double? last;
    private DateTimeOffset since;

    /// <summary>Returns how long the count has stood still once that reaches the limit, else null.</summary>
    public TimeSpan? Observe(double? progress, DateTimeOffset now)
    {
        if (progress is null || progress != last)
        {
            last = progress;
            since = now;
            return null;
        }

        var still = now - since;
        return still >= limit ? still : null;
    }
}
