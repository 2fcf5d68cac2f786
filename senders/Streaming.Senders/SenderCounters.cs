using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>What one sender did: the counts behind <see cref="ChannelSender.Stats"/> and the metrics that mirror them.</summary>
internal sealed class SenderCounters(string channel, string providerName, DeliveryPipeline pipeline)
{
    private readonly KeyValuePair<string, object?> channelTag = new("channel", channel);
    private readonly KeyValuePair<string, object?> providerTag = new("provider", providerName);
    private long delivered, failed, expired, retried, deadLettered, skipped, forced;

    public SenderStats Snapshot() => new(
        Interlocked.Read(ref delivered), Interlocked.Read(ref failed), Interlocked.Read(ref expired), Interlocked.Read(ref retried),
        Interlocked.Read(ref deadLettered), Interlocked.Read(ref skipped), pipeline.CircuitOpenedCount, pipeline.CircuitClosedCount,
        Interlocked.Read(ref forced));

    /// <summary>An outcome that is now durable; <paramref name="sinceRequested"/> is the time since the request was made.</summary>
    public void Outcome(string outcome, TimeSpan sinceRequested)
    {
        _ = outcome switch
        {
            Outcomes.Delivered => Interlocked.Increment(ref delivered),
            Outcomes.Failed => Interlocked.Increment(ref failed),
            Outcomes.Expired => Interlocked.Increment(ref expired),
            Outcomes.Retrying => Interlocked.Increment(ref retried),
            _ => Interlocked.Increment(ref deadLettered),
        };
        SenderMetrics.DeliveriesCounter.Add(1, channelTag, providerTag, new("outcome", outcome));
        if (outcome == Outcomes.Retrying)
        {
            SenderMetrics.RetriesCounter.Add(1, channelTag, new("kind", "topic"));
        }
        else if (outcome == Outcomes.Delivered)
        {
            SenderMetrics.EndToEndHistogram.Record(sinceRequested.TotalMilliseconds, channelTag);
        }
    }

    /// <summary>Unreadable input has no outcome row: its DLQ record is its outcome.</summary>
    public void UnreadableDeadLettered() => Interlocked.Increment(ref deadLettered);

    public void DeadLetter(string reason) => SenderMetrics.DeadLettersCounter.Add(1, channelTag, new("reason", reason));

    public void ForcedRedelivery()
    {
        Interlocked.Increment(ref forced);
        SenderMetrics.ForcedRedeliveriesCounter.Add(1, channelTag);
    }

    public void DuplicateSkipped()
    {
        Interlocked.Increment(ref skipped);
        SenderMetrics.DuplicatesSkippedCounter.Add(1, channelTag);
    }
}
