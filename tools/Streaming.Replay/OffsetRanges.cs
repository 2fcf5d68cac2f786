using Confluent.Kafka;

namespace Streaming.Replay;

/// <summary>The offsets one partition is replayed between: <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
internal sealed record PartitionRange(int Partition, long Start, long End);

/// <summary>
/// Turns a replay's bounds (explicit offsets per partition, or instants) into offset ranges, clamped to what the
/// partitions still hold.
/// </summary>
internal static class OffsetRanges
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static List<PartitionRange> Resolve(IConsumer<byte[]?, byte[]?> consumer, ReplayOptions options)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var md = admin.GetMetadata(options.Topic, Deadline).Topics.SingleOrDefault(t => t.Topic == options.Topic);
        if (md is null || md.Error.IsError || md.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"Topic '{options.Topic}' not found ({md?.Error.Reason ?? "no metadata"}).");
        }

        var partitions = md.Partitions.Select(p => p.PartitionId).Where(p => options.Partitions.Count == 0 || options.Partitions.Contains(p)).Order().ToList();
        var ranges = new List<PartitionRange>();
        foreach (var p in partitions)
        {
            var tp = new TopicPartition(options.Topic, p);
            var marks = consumer.QueryWatermarkOffsets(tp, Deadline);
            var start = options.FromOffsets.TryGetValue(p, out var fo) ? fo : options.From is { } from ? OffsetAt(consumer, tp, from, marks) : marks.Low.Value;
            var end = options.ToOffsets.TryGetValue(p, out var to) ? to : options.To is { } until ? Math.Max(start, OffsetAtOrEnd(consumer, tp, until, marks)) : marks.High.Value;
            ranges.Add(new PartitionRange(p, Math.Max(start, marks.Low.Value), Math.Min(end, marks.High.Value)));
        }

        return ranges;
    }

    /// <summary>End bound for a time: the first offset at or after it, or the high watermark (records are filtered by time anyway).</summary>
    private static long OffsetAtOrEnd(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, DateTimeOffset at, WatermarkOffsets marks)
    {
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(at.UtcDateTime))], Deadline).Single();
        return found.Offset.Value >= 0 ? found.Offset.Value : marks.High.Value;
    }

    /// <summary>
    /// First offset with a timestamp at or after <paramref name="at"/> (a seek hint; timestamps are also
    /// checked per record). When the broker answers "none", the last record is checked: some brokers (the
    /// embedded mock cluster) do not implement time lookups at all, and then the whole partition is scanned.
    /// </summary>
    private static long OffsetAt(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, DateTimeOffset at, WatermarkOffsets marks)
    {
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(at.UtcDateTime))], Deadline).Single();
        if (found.Offset.Value >= 0)
        {
            return found.Offset.Value;
        }

        if (marks.High.Value <= marks.Low.Value)
        {
            return marks.High.Value;
        }

        consumer.Assign(new TopicPartitionOffset(tp, marks.High.Value - 1));
        try
        {
            var last = consumer.Consume(Deadline);
            return last?.Message is not null && last.Message.Timestamp.UtcDateTime < at.UtcDateTime ? marks.High.Value : marks.Low.Value;
        }
        finally
        {
            consumer.Unassign();
        }
    }
}
