using System.Threading.Channels;
using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>A fetched record and the bookkeeping of its partition.</summary>
internal sealed record WorkItem(PartitionProgress Progress, ConsumeResult<string?, byte[]?> Record);

/// <summary>
/// Parallel lanes keyed by user: one user's records share a lane and are sent in order, different users run in
/// parallel. A lane starts its next record once the provider has answered, while up to
/// <see cref="ChannelSenderOptions.LaneDepth"/> earlier outcomes are still being made durable.
/// </summary>
internal sealed class KeyedLanes(ChannelSenderOptions options, FlowControl flow, StopSignals stop)
{
    /// <summary>
    /// Handles one record; completes the <see cref="TaskCompletionSource"/> once the lane may go on, and returns whether
    /// the record finished (its outcome durable). Never throws.
    /// </summary>
    public delegate Task<bool> Handler(ConsumeResult<string?, byte[]?> record, TaskCompletionSource released);

    private readonly Channel<WorkItem>[] lanes = Enumerable.Range(0, options.Lanes)
        .Select(_ => Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }))
        .ToArray();

    private Task[] running = [];

    public void Start(Handler handle) => running = lanes.Select(l => Task.Run(() => LaneAsync(l, handle))).ToArray();

    /// <summary>Queues a record on its user's lane (called by the poll loop only).</summary>
    public void Dispatch(WorkItem item) => lanes[Lane(item.Record.Message.Key)].Writer.TryWrite(item);

    /// <summary>No more records: every lane finishes what it holds (records of closed partitions are dropped unstarted).</summary>
    public Task CompleteAsync()
    {
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }

        return Task.WhenAll(running);
    }

    private int Lane(string? key) => key is null ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)lanes.Length);

    private async Task LaneAsync(Channel<WorkItem> lane, Handler handle)
    {
        // Outcomes of this lane still being made durable, oldest first. The lane moves on to its next record once the
        // provider call is over (per-user order is about sends); the offset waits for the outcome.
        var durable = new Queue<Task>();
        await foreach (var item in lane.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item.Progress.Closed || stop.Stopping)
            {
                flow.Ended();
                continue; // not started: stays uncommitted, redelivered to whoever owns the partition next
            }

            item.Progress.Started();
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var done = RunAsync(item, released, handle);
            await released.Task.ConfigureAwait(false);
            durable.Enqueue(done);
            while (durable.TryPeek(out var oldest) && (oldest.IsCompleted || durable.Count >= options.LaneDepth))
            {
                await durable.Dequeue().ConfigureAwait(false); // never throws: the handler deals with its own failures
            }
        }

        await Task.WhenAll(durable).ConfigureAwait(false);
    }

    private async Task RunAsync(WorkItem item, TaskCompletionSource released, Handler handle)
    {
        var finished = false;
        try
        {
            finished = await handle(item.Record, released).ConfigureAwait(false);
        }
        finally
        {
            released.TrySetResult();
            item.Progress.Ended(item.Record.Offset.Value, finished);
            flow.Ended();
        }
    }
}
