using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>Where a consumer starts the partitions it was just assigned, when <c>auto.offset.reset=error</c>.</summary>
internal static class GroupStart
{
    /// <summary>
    /// The committed offset of each partition, or its beginning when the group never committed one. With
    /// <c>auto.offset.reset=error</c> a brand-new group (or partition) would otherwise never start, while an out-of-range
    /// committed offset (records lost to retention) must stay an error. <paramref name="failed"/> hears each failed
    /// lookup, with <c>true</c> on the last: then librdkafka reads the committed offsets itself (<see cref="Offset.Unset"/>),
    /// and a partition without one reports the reset error instead of the whole consumer stopping.
    /// </summary>
    public static IEnumerable<TopicPartitionOffset> Positions<TKey, TValue>(IConsumer<TKey, TValue> c, List<TopicPartition> tps, Action<KafkaException, bool> failed)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                var committed = c.Committed(tps, TimeSpan.FromSeconds(10));
                return committed.Select(tpo => tpo.Offset.Value >= 0 ? tpo : new TopicPartitionOffset(tpo.TopicPartition, Offset.Beginning));
            }
            catch (KafkaException e) when (tries < 3)
            {
                failed(e, false);
            }
            catch (KafkaException e)
            {
                failed(e, true);
                return tps.Select(tp => new TopicPartitionOffset(tp, Offset.Unset));
            }
        }
    }
}
