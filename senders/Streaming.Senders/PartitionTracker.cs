using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streaming.Senders;

/// <summary>
/// The partitions this sender owns and how far each got: filled and emptied by the rebalance callbacks, it stores each
/// partition's low-water mark of finished work as its offset and starts partitions the group never committed.
/// </summary>
/// <remarks>
/// Touched only by the thread serving the consumer: the poll loop, and the rebalance callbacks librdkafka runs inside
/// its <c>Consume()</c> and <c>Close()</c> calls.
/// </remarks>
internal sealed class PartitionTracker(ChannelSenderOptions options, FlowControl flow, StopSignals stop, ILogger logger)
{
    private readonly Dictionary<TopicPartition, PartitionProgress> partitions = [];
    private readonly TaskCompletionSource assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on the first partition assignment.</summary>
    public Task Assigned => assigned.Task;

    public IEnumerable<TopicPartition> Owned => partitions.Keys;

    /// <summary>Whether a record of some owned partition is fetched but not finished.</summary>
    public bool AnyUnfinished => partitions.Values.Any(s => s.Unfinished() > 0);

    /// <summary>Whether a record of some owned partition is running in a lane.</summary>
    public bool AnyRunning => partitions.Values.Any(s => s.Running > 0);

    public bool TryGet(TopicPartition partition, out PartitionProgress progress)
        => partitions.TryGetValue(partition, out progress!);

    /// <summary>Shutdown or abort: queued records of every partition are no longer started.</summary>
    public void CloseAll()
    {
        foreach (var s in partitions.Values)
        {
            s.Closed = true;
        }
    }

    public IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<string?, byte[]?> c, List<TopicPartition> tps, bool resetIsError)
    {
        foreach (var tp in tps)
        {
            partitions[tp] = new PartitionProgress(tp);
        }

        SenderLog.Assigned(logger, options.Channel, string.Join(",", tps.Select(t => $"{t.Topic}[{t.Partition.Value}]")));
        assigned.TrySetResult();
        if (!resetIsError || tps.Count == 0)
        {
            return tps.Select(tp => new TopicPartitionOffset(tp, Offset.Unset));
        }

        return GroupStart.Positions(c, tps, (e, last) =>
        {
            if (last)
            {
                SenderLog.ConsumeError(logger, options.Channel, e.Error.Code, "reading committed offsets failed: " + e.Error.Reason);
            }
            else
            {
                SenderLog.ClientError(logger, options.Channel, "consumer", e.Error.Code, "reading committed offsets failed: " + e.Error.Reason);
            }
        });
    }

    /// <summary>Revoked (or, with <paramref name="lost"/>, lost) partitions: drained, their offsets stored, then forgotten.</summary>
    public void OnRevoked(IConsumer<string?, byte[]?> c, List<TopicPartition> tps, bool lost)
    {
        var states = tps.Select(tp => partitions.GetValueOrDefault(tp)).OfType<PartitionProgress>().ToList();
        foreach (var s in states)
        {
            s.Closed = true; // queued records of these partitions are not started any more
        }

        if (lost)
        {
            SenderLog.Lost(logger, options.Channel, string.Join(",", tps));
        }
        else if (!stop.Aborted)
        {
            // Let running records finish so their offsets can be stored before the partition moves; whatever is still
            // unfinished after the deadline stays uncommitted and is redelivered to the next owner. Blocking is expected
            // inside a rebalance callback.
            DrainWait.While(() => states.Any(s => s.Running > 0), Stopwatch.StartNew(), options.DrainTimeout);

            // Stored, not committed here: with enable.auto.commit librdkafka commits the stored offsets of revoked
            // partitions itself, and the group waits for that commit. A synchronous Commit() from this callback can wait
            // forever when the revocation comes from Close() in a cooperative-sticky group (the reply is not served while
            // close runs this callback), which hangs the stop.
            StoreOffsets(c, states);
            SenderLog.Revoked(logger, options.Channel, string.Join(",", tps), states.Sum(s => s.Unfinished()));
        }

        foreach (var tp in tps)
        {
            partitions.Remove(tp);
        }

        flow.Forget(tps);
    }

    /// <summary>Stores the low-water mark of every owned partition that moved; librdkafka commits what is stored.</summary>
    public void StoreOffsets(IConsumer<string?, byte[]?> c) => StoreOffsets(c, partitions.Values);

    private static void StoreOffsets(IConsumer<string?, byte[]?> c, IEnumerable<PartitionProgress> states)
    {
        foreach (var s in states)
        {
            if (s.CommitPosition() is { } position && position > s.Stored)
            {
                try
                {
                    c.StoreOffset(new TopicPartitionOffset(s.Partition, position));
                    s.Stored = position;
                }
                catch (KafkaException)
                {
                    // The partition is no longer assigned (_STATE): its new owner redelivers from the last commit.
                }
            }
        }
    }
}
