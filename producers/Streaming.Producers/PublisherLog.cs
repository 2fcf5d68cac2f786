using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streaming.Producers;

internal static partial class PublisherLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Publishing notification {EventId} failed: {Code} {Reason}")]
    public static partial void PublishFailed(ILogger logger, string eventId, ErrorCode code, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Kafka error {Code}: {Reason} (fatal: {IsFatal})")]
    public static partial void KafkaError(ILogger logger, ErrorCode code, string reason, bool isFatal);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "{Pending} records were still unacknowledged when the publisher was disposed")]
    public static partial void UnflushedOnDispose(ILogger logger, int pending);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "librdkafka {Level} {Facility}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string level, string facility, string message);
}
