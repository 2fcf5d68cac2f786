using Microsoft.Extensions.Logging;

namespace Streaming.Senders.Recording;

internal static partial class StatusRecorderLog
{
    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Status recorder started: group {GroupId}, topic {Topic}")]
    public static partial void Started(ILogger logger, string groupId, string topic);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Status recorder stopped: {Recorded} statuses recorded")]
    public static partial void Stopped(ILogger logger, long recorded);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "Status recorder cannot record {EventId} yet, retrying: {Error}")]
    public static partial void AppendFailed(ILogger logger, string eventId, string error);

    [LoggerMessage(EventId = 423, Level = LogLevel.Error, Message = "Status recorder skipped the unreadable status {Topic}[{Partition}]@{Offset}: {Error}")]
    public static partial void Unreadable(ILogger logger, string topic, int partition, long offset, string error);

    [LoggerMessage(EventId = 424, Level = LogLevel.Warning, Message = "Status recorder consumer error {Code}: {Reason}")]
    public static partial void ClientError(ILogger logger, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(EventId = 425, Level = LogLevel.Error, Message = "Status recorder: {Step} did not finish within {Timeout}; abandoned (the group coordinator times the member out)")]
    public static partial void TeardownAbandoned(ILogger logger, string step, TimeSpan timeout);

    [LoggerMessage(EventId = 426, Level = LogLevel.Information, Message = "Status recorder assigned {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);
}
