using Microsoft.Extensions.Logging;
using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>Log messages of the senders. Targets are always masked with <see cref="Pii.Mask"/>; credentials never appear.</summary>
internal static partial class SenderLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Sender {Channel} started: group {GroupId}, topic {Topic}, retry tiers {RetryTopics}, provider {Provider}")]
    public static partial void Started(ILogger logger, string channel, string groupId, string topic, string retryTopics, string provider);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Sender {Channel} stopped (graceful: {Graceful})")]
    public static partial void Stopped(ILogger logger, string channel, bool graceful);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Sender {Channel} assigned {Partitions}")]
    public static partial void Assigned(ILogger logger, string channel, string partitions);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Sender {Channel} revoked {Partitions}; {Unfinished} records unfinished after drain")]
    public static partial void Revoked(ILogger logger, string channel, string partitions, int unfinished);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Sender {Channel} lost {Partitions}: nothing committed for them")]
    public static partial void Lost(ILogger logger, string channel, string partitions);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "Sender {Channel} consume error {Code}: {Reason}")]
    public static partial void ConsumeError(ILogger logger, string channel, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Sender {Channel} dead-lettered {Topic}[{Partition}]@{Offset}: {Reason} ({Error})")]
    public static partial void DeadLettered(ILogger logger, string channel, string topic, int partition, long offset, string reason, string? error);

    [LoggerMessage(EventId = 407, Level = LogLevel.Debug, Message = "Event {EventId} to {Target} on {Channel}: {Outcome} (attempt {Attempt}, {Reason})")]
    public static partial void Outcome(ILogger logger, string eventId, string target, string channel, string outcome, int attempt, string? reason);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning, Message = "Circuit of {Provider} is now {State}")]
    public static partial void Circuit(ILogger logger, string provider, string state);

    [LoggerMessage(EventId = 409, Level = LogLevel.Warning, Message = "Writing the outcome of {EventId} failed, retrying: {Error}")]
    public static partial void DurableWriteFailed(ILogger logger, string eventId, string error);

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Event {EventId} to {Target} on {Channel} was already delivered: skipped")]
    public static partial void SkippedDuplicate(ILogger logger, string eventId, string target, string channel);

    [LoggerMessage(EventId = 411, Level = LogLevel.Error, Message = "Sender {Channel} failed while processing {Topic}[{Partition}]@{Offset}")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string channel, string topic, int partition, long offset);

    [LoggerMessage(EventId = 413, Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string facility, string message);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning, Message = "Sender {Channel} {Client} error {Code} (librdkafka retries): {Reason}")]
    public static partial void ClientError(ILogger logger, string channel, string client, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Sender {Channel} aborted without draining or committing (crash simulation)")]
    public static partial void Aborted(ILogger logger, string channel);

    [LoggerMessage(EventId = 416, Level = LogLevel.Information, Message = "Event {EventId} to {Target} on {Channel} is a forced replay: sent without the delivery-log check")]
    public static partial void ForcedRedelivery(ILogger logger, string eventId, string target, string channel);

    [LoggerMessage(EventId = 415, Level = LogLevel.Error, Message = "Sender {Channel}: {Step} did not finish within {Timeout}; abandoned (the group coordinator times the member out, nothing past the last commit is lost)")]
    public static partial void TeardownAbandoned(ILogger logger, string channel, string step, TimeSpan timeout);
}
