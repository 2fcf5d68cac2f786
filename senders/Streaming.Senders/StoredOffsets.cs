using Confluent.Kafka;

namespace Streaming.Senders;

/// <summary>The consumer settings of at-least-once reading: offsets stored by hand once a record's work is durable.</summary>
internal static class StoredOffsets
{
    /// <summary>
    /// <paramref name="settings"/> for group <paramref name="groupId"/>, with offsets stored by hand and committed by
    /// librdkafka's auto-commit (only what is stored). <c>auto.offset.reset</c> defaults to earliest; "error" (the local
    /// profile) makes an out-of-range offset (records lost to retention) an error instead of a silent skip, and a partition
    /// the group never committed then starts at its beginning (see <see cref="GroupStart"/>).
    /// </summary>
    public static ConsumerConfig Config(ConsumerConfig settings, string groupId)
    {
        var config = new ConsumerConfig(settings.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            GroupId = groupId,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            EnablePartitionEof = false,
        };
        config.AutoCommitIntervalMs ??= 1000;
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        return config;
    }
}
