using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Replay;

/// <summary>
/// Where a re-published record goes: the topic the user named, else back where it came from (a channel topic or
/// notifications.requested to itself, a dead letter to its original topic, a retry topic to its channel topic).
/// </summary>
internal sealed class ReplayRouting(ReplayOptions options)
{
    private static readonly HashSet<string> ChannelTopics = Topics.SenderChannels.Select(Topics.ForChannel).ToHashSet(StringComparer.Ordinal);

    public string Destination(ConsumeResult<byte[]?, byte[]?> r)
    {
        if (options.RepublishTopic is { } explicitTopic)
        {
            return explicitTopic;
        }

        if (options.Topic == Topics.DeadLetter)
        {
            return KafkaHeaders.Utf8(r.Message.Headers, HeaderNames.OriginalTopic) is { } original && original != Topics.DeadLetter
                ? NormaliseRetry(original)
                : throw new InvalidOperationException($"DLQ record {r.TopicPartitionOffset} has no {HeaderNames.OriginalTopic} header; pass --to-topic.");
        }

        if (ChannelTopics.Contains(options.Topic) || options.Topic == Topics.Requested)
        {
            return options.Topic;
        }

        return NormaliseRetry(options.Topic) is var t && t != options.Topic
            ? t
            : throw new InvalidOperationException($"Records of '{options.Topic}' have no natural destination; pass --to-topic.");
    }

    /// <summary>A retry topic's records go back to their channel topic: the retry schedule starts afresh.</summary>
    private static string NormaliseRetry(string topic)
        => Topics.SenderChannels.FirstOrDefault(c => Topics.Retry(c) == topic) is { } channel ? Topics.ForChannel(channel) : topic;
}
