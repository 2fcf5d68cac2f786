using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>
/// Which partitions the consumer fetches from: every one pauses while too much fetched work is unfinished
/// (backpressure, resumed at half of <see cref="ChannelSenderOptions.MaxInFlight"/>), and a retry tier's partition
/// pauses until its next record is due.
/// </summary>
/// <remarks>Pausing and resuming happen on the poll thread; only the in-flight count is shared with the lanes.</remarks>
internal sealed class FlowControl(ChannelSenderOptions options, TimeProvider time)
{
    private readonly Dictionary<TopicPartition, DateTimeOffset> retryPaused = [];
    private readonly HashSet<TopicPartition> paused = [];
    private int inFlight;
    private bool backpressure;

    /// <summary>True when the pause state needs a look before the next poll, not only at the periodic one.</summary>
    public bool Pressing => Volatile.Read(ref inFlight) >= options.MaxInFlight || backpressure;

    /// <summary>A record was handed to a lane.</summary>
    public void Fetched() => Interlocked.Increment(ref inFlight);

    /// <summary>A fetched record ended, finished or not.</summary>
    public void Ended() => Interlocked.Decrement(ref inFlight);

    /// <summary>
    /// A retry record that is not due yet: rewinds and pauses only its partition until then, so every other partition
    /// keeps flowing. Each tier has its own topic, so what waits behind the paused record is due no sooner than it.
    /// False for every other record.
    /// </summary>
    public bool HoldUntilDue(IConsumer<string?, byte[]?> c, ConsumeResult<string?, byte[]?> r)
    {
        if (r.Topic == options.ResolvedTopic || RetryHeaders.NotBefore(r.Message.Headers) is not { } due || due <= time.GetUtcNow())
        {
            return false;
        }

        c.Pause([r.TopicPartition]);
        paused.Add(r.TopicPartition);
        c.Seek(r.TopicPartitionOffset);
        retryPaused[r.TopicPartition] = due;
        return true;
    }

    /// <summary>Pauses and resumes the <paramref name="owned"/> partitions as backpressure and due times require.</summary>
    public void Apply(IConsumer<string?, byte[]?> c, IEnumerable<TopicPartition> owned)
    {
        var count = Volatile.Read(ref inFlight);
        backpressure = backpressure ? count > options.MaxInFlight / 2 : count >= options.MaxInFlight;
        var now = time.GetUtcNow();
        foreach (var (tp, due) in retryPaused.ToList())
        {
            if (due <= now)
            {
                retryPaused.Remove(tp);
            }
        }

        var desired = owned.Where(tp => backpressure || retryPaused.ContainsKey(tp)).ToHashSet();
        var toPause = desired.Where(tp => !paused.Contains(tp)).ToList();
        var toResume = paused.Where(tp => !desired.Contains(tp)).ToList();
        if (toPause.Count > 0)
        {
            c.Pause(toPause);
            paused.UnionWith(toPause);
        }

        if (toResume.Count > 0)
        {
            c.Resume(toResume);
            paused.ExceptWith(toResume);
        }
    }

    /// <summary>Partitions no longer owned: nothing to pause or resume for them.</summary>
    public void Forget(IEnumerable<TopicPartition> tps)
    {
        foreach (var tp in tps)
        {
            retryPaused.Remove(tp);
            paused.Remove(tp);
        }
    }
}
