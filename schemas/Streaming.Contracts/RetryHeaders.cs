using Confluent.Kafka;

namespace Streaming.Contracts;

/// <summary>
/// The headers a record carries on a retry topic: which attempt it is and when it is due. The sender that failed writes
/// them; the sender that reads the retry topic waits for the due time.
/// </summary>
public static class RetryHeaders
{
    /// <summary>The delivery attempt the record is on (1 for a record straight from the topology).</summary>
    public static int AttemptOf(Headers? headers) => (int)(KafkaHeaders.Long(headers, HeaderNames.Attempt) ?? 1);

    /// <summary>When the record may be tried again, or null when it carries no due time.</summary>
    public static DateTimeOffset? NotBefore(Headers? headers)
        => KafkaHeaders.Long(headers, HeaderNames.NotBefore) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The original headers with the attempt and due time of the next try.</summary>
    public static Headers ForNextAttempt(Headers? original, int attempt, DateTimeOffset notBefore)
    {
        var headers = KafkaHeaders.CopyExcept(original, HeaderNames.Attempt, HeaderNames.NotBefore);
        headers.Add(HeaderNames.Attempt, KafkaHeaders.Ascii(attempt));
        headers.Add(HeaderNames.NotBefore, KafkaHeaders.Ascii(notBefore.ToUnixTimeMilliseconds()));
        return headers;
    }
}
