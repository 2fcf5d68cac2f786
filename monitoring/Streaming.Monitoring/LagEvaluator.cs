namespace Streaming.Monitoring;

/// <summary>
/// Pure logic of the monitor, kept apart from Kafka so it can be tested sample by sample.
/// Lag in seconds follows kafka-lag-exporter: remember when the high watermark reached each offset
/// (a per-partition table of (time, watermark) samples) and report how long ago the watermark was where
/// the group's committed offset is now, interpolating between samples.
/// Status follows Burrow's rules over a window of samples.
/// </summary>
public sealed class LagEvaluator(int windowSamples, int historySamples)
{
    private readonly Dictionary<(string Group, string Topic, int Partition), Queue<(DateTimeOffset At, long Committed, long Lag)>> windows = [];
    private readonly Dictionary<(string Topic, int Partition), List<(DateTimeOffset At, long HighWatermark)>> history = [];

    /// <summary>Records a watermark sample for a partition (shared by every group reading it).</summary>
    public void RecordWatermark(string topic, int partition, long highWatermark, DateTimeOffset at)
    {
        var key = (topic, partition);
        if (!history.TryGetValue(key, out var samples))
        {
            history[key] = samples = [];
        }

        if (samples.Count > 0 && samples[^1].HighWatermark == highWatermark)
        {
            // A flat watermark adds no information; keep the first time it was seen so lag time keeps growing.
            return;
        }

        samples.Add((at, highWatermark));
        if (samples.Count > historySamples)
        {
            samples.RemoveAt(0);
        }
    }

    /// <summary>Seconds since the high watermark was at <paramref name="committed"/>; 0 when caught up.</summary>
    public double LagSeconds(string topic, int partition, long committed, long highWatermark, DateTimeOffset now)
    {
        if (committed >= highWatermark || !history.TryGetValue((topic, partition), out var samples) || samples.Count == 0)
        {
            return 0;
        }

        // First sample whose watermark passed the committed offset: the record at `committed` was written
        // between the previous sample and this one.
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i].HighWatermark > committed)
            {
                if (i == 0)
                {
                    return (now - samples[0].At).TotalSeconds; // older than our history: at least this long
                }

                var (t0, w0) = samples[i - 1];
                var (t1, w1) = samples[i];
                var fraction = (double)(committed - w0) / Math.Max(1, w1 - w0);
                var producedAt = t0 + ((t1 - t0) * fraction);
                return Math.Max(0, (now - producedAt).TotalSeconds);
            }
        }

        return 0;
    }

    /// <summary>Adds this sample to the group's windows and returns the group's status.</summary>
    public (GroupStatus Status, string Reason) Evaluate(string group, IReadOnlyList<PartitionLag> partitions, DateTimeOffset at)
    {
        if (partitions.Count == 0 || partitions.All(p => p.Committed < 0))
        {
            return (GroupStatus.Stop, "no committed offsets: the group is gone or never started");
        }

        var worst = GroupStatus.Ok;
        var reason = "lag is zero or shrinking";
        foreach (var p in partitions)
        {
            var key = (group, p.Topic, p.Partition);
            if (!windows.TryGetValue(key, out var window))
            {
                windows[key] = window = new Queue<(DateTimeOffset, long, long)>();
            }

            window.Enqueue((at, p.Committed, p.LagMessages));
            while (window.Count > windowSamples)
            {
                window.Dequeue();
            }

            var (status, why) = EvaluatePartition(window.ToArray());
            if (status > worst)
            {
                (worst, reason) = (status, $"{p.Topic}[{p.Partition}]: {why}");
            }
        }

        return (worst, reason);
    }

    private (GroupStatus, string) EvaluatePartition((DateTimeOffset At, long Committed, long Lag)[] w)
    {
        // Burrow rule 1: any zero lag in the window means the consumer is keeping up.
        if (w.Any(s => s.Lag == 0))
        {
            return (GroupStatus.Ok, "caught up within the window");
        }

        if (w.Length < windowSamples)
        {
            return (GroupStatus.Ok, "window not full yet");
        }

        // Burrow rule: offsets not moving while lag is non-zero → stalled consumer.
        if (w.All(s => s.Committed == w[0].Committed))
        {
            return (GroupStatus.Stall, $"committed offset stuck at {w[0].Committed} with lag {w[^1].Lag}");
        }

        // Lag never decreased across the window and ended higher → falling behind.
        var growing = true;
        for (var i = 1; i < w.Length; i++)
        {
            growing &= w[i].Lag >= w[i - 1].Lag;
        }

        if (growing && w[^1].Lag > w[0].Lag)
        {
            return (GroupStatus.Warn, $"lag grew from {w[0].Lag} to {w[^1].Lag} over {(w[^1].At - w[0].At).TotalSeconds:0} s");
        }

        return (GroupStatus.Ok, "committing and not falling behind");
    }
}
