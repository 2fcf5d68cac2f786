using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>
/// Per-partition bookkeeping for parallel work: which dispatched offsets are unfinished, so the stored (and so
/// committed) offset is the low-water mark of finished work and never passes an unfinished record.
/// </summary>
internal sealed class PartitionProgress(TopicPartition partition)
{
    private readonly Lock gate = new();
    private readonly SortedSet<long> pending = [];
    private long next = -1;
    private int running;

    public TopicPartition Partition { get; } = partition;

    /// <summary>Set on revocation, loss, shutdown or abort: queued records of this partition are no longer started.</summary>
    public volatile bool Closed;

    public long Stored { get; set; } = -1;

    public int Running => Volatile.Read(ref running);

    public void Dispatched(long offset)
    {
        lock (gate)
        {
            pending.Add(offset);
            next = offset + 1;
        }
    }

    public void Started() => Interlocked.Increment(ref running);

    public void Ended(long offset, bool finished)
    {
        if (finished)
        {
            lock (gate)
            {
                pending.Remove(offset);
            }
        }

        Interlocked.Decrement(ref running);
    }

    /// <summary>The offset to commit: the first unfinished record, or one past the last dispatched one; null before any dispatch.</summary>
    public long? CommitPosition()
    {
        lock (gate)
        {
            return pending.Count > 0 ? pending.Min : next >= 0 ? next : null;
        }
    }

    public int Unfinished()
    {
        lock (gate)
        {
            return pending.Count;
        }
    }
}
