using System.Text;
using Confluent.Kafka;

namespace Streaming.Contracts;

/// <summary>The headers `streaming replay --republish` puts on a re-published record, and how the senders read them.</summary>
public static class ReplayHeaders
{
    private static readonly byte[] True = "true"u8.ToArray();

    /// <summary>Marks a re-published record: where it was replayed from, and whether it must go out even if delivered before.</summary>
    public static void Mark(Headers headers, TopicPartitionOffset replayedFrom, bool force)
    {
        headers.Add(HeaderNames.ReplayedFrom, Encoding.UTF8.GetBytes($"{replayedFrom.Topic}/{replayedFrom.Partition.Value}/{replayedFrom.Offset.Value}"));
        if (force)
        {
            headers.Add(HeaderNames.ReplayForce, True);
        }
    }

    /// <summary>True when a replay with --force asked for the record to be delivered although the delivery log says delivered.</summary>
    public static bool IsForced(Headers? headers)
        => headers?.TryGetLastBytes(HeaderNames.ReplayForce, out var value) == true && value.AsSpan().SequenceEqual(True);
}
