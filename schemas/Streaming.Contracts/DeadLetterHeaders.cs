using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streaming.Contracts;

/// <summary>Where a dead-lettered record came from: its coordinates and the attempt that gave up (null before any delivery attempt).</summary>
public sealed record DeadLetterOrigin(string Topic, int Partition, long Offset, int? Attempt = null);

/// <summary>
/// The headers of a record on notifications.dlq: the original's headers plus why (reason, stage, error) and where it came
/// from, so it can be read, fixed and replayed as it was. Every stage builds them here.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Longest error text kept; provider answers can be long.</summary>
    public const int MaxErrorLength = 1000;

    private static readonly string[] Replaced =
    [
        HeaderNames.DlqReason, HeaderNames.DlqError, HeaderNames.DlqStage,
        HeaderNames.OriginalTopic, HeaderNames.OriginalPartition, HeaderNames.OriginalOffset,
        HeaderNames.Attempt, HeaderNames.NotBefore,
    ];

    /// <summary>The original headers (earlier DLQ and retry headers replaced) plus this dead letter's.</summary>
    public static Headers For(Headers? original, string reason, string stage, string? error, DeadLetterOrigin origin)
    {
        var headers = KafkaHeaders.CopyExcept(original, Replaced);
        headers.Add(HeaderNames.DlqReason, Encoding.UTF8.GetBytes(reason));
        headers.Add(HeaderNames.DlqStage, Encoding.UTF8.GetBytes(stage));
        headers.Add(HeaderNames.DlqError, Encoding.UTF8.GetBytes(error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error ?? ""));
        headers.Add(HeaderNames.OriginalTopic, Encoding.UTF8.GetBytes(origin.Topic));
        headers.Add(HeaderNames.OriginalPartition, KafkaHeaders.Ascii(origin.Partition));
        headers.Add(HeaderNames.OriginalOffset, KafkaHeaders.Ascii(origin.Offset));
        if (origin.Attempt is { } attempt)
        {
            headers.Add(HeaderNames.Attempt, KafkaHeaders.Ascii(attempt));
        }

        return headers;
    }

    /// <summary>The reason of a dead letter, or null when the record carries none.</summary>
    public static string? Reason(Headers? headers) => KafkaHeaders.Utf8(headers, HeaderNames.DlqReason);

    /// <summary>The original coordinates of a dead letter, or null when they are missing or malformed.</summary>
    public static (string Topic, int Partition, long Offset)? OriginOf(Headers? headers)
        => KafkaHeaders.Utf8(headers, HeaderNames.OriginalTopic) is { } topic
           && KafkaHeaders.Long(headers, HeaderNames.OriginalPartition) is { } partition
           && KafkaHeaders.Long(headers, HeaderNames.OriginalOffset) is { } offset
            ? (topic, (int)partition, offset)
            : null;
}

/// <summary>Reading and copying Kafka headers the way every stage does: last value wins, numbers as ASCII decimal.</summary>
public static class KafkaHeaders
{
    /// <summary>A copy of <paramref name="source"/> without the headers named in <paramref name="except"/>.</summary>
    public static Headers CopyExcept(Headers? source, params IReadOnlyCollection<string> except)
    {
        var headers = new Headers();
        foreach (var h in source ?? [])
        {
            if (!except.Contains(h.Key))
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        return headers;
    }

    public static string? Utf8(Headers? headers, string name)
        => headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;

    public static long? Long(Headers? headers, string name)
        => headers?.TryGetLastBytes(name, out var bytes) == true
           && long.TryParse(Encoding.ASCII.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
