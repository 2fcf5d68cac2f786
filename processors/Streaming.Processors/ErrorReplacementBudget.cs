namespace Streaming.Processors;

/// <summary>
/// How often a topology that went into ERROR after it ran may be replaced: at most <paramref name="max"/> times in any
/// <paramref name="window"/>, so an input that kills every stream thread cannot loop forever; past that the topology fails.
/// </summary>
internal sealed class ErrorReplacementBudget(int max, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> taken = new();
    private readonly Lock gate = new();

    public int Max => max;

    public TimeSpan Window => window;

    /// <summary>Takes one replacement at <paramref name="now"/>; false when the window's are used up.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        lock (gate)
        {
            while (taken.TryPeek(out var at) && now - at > window)
            {
                taken.Dequeue();
            }

            if (taken.Count >= max)
            {
                return false;
            }

            taken.Enqueue(now);
            return true;
        }
    }
}
