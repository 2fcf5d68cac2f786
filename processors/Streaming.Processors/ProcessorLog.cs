using Microsoft.Extensions.Logging;

namespace Streaming.Processors;

internal static partial class ProcessorLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Topology {ApplicationId} starting against {BootstrapServers} with {Threads} stream thread(s), guarantee {Guarantee}")]
    public static partial void Starting(ILogger logger, string applicationId, string bootstrapServers, int threads, string guarantee);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Topology {ApplicationId} state {OldState} -> {NewState}")]
    public static partial void StateChanged(ILogger logger, string applicationId, string oldState, string newState);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Topology {ApplicationId} stopped")]
    public static partial void Stopped(ILogger logger, string applicationId);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Dead-lettered a request from {Topic}/{Partition}@{Offset}: {Reason} at {Stage} ({Error})")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string reason, string stage, string error);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Skipped an undeserializable record on table topic {Topic}/{Partition}@{Offset} (action {Action})")]
    public static partial void TableRecordSkipped(ILogger logger, Exception exception, string topic, int partition, long offset, string action);

    [LoggerMessage(EventId = 312, Level = LogLevel.Error, Message = "Could not produce a record to {Topic}: {Error} (action {Action})")]
    public static partial void ProductionFailed(ILogger logger, string topic, string error, string action);

    [LoggerMessage(EventId = 313, Level = LogLevel.Error, Message = "Unexpected error in the topology (action {Action})")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string action);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Topology {ApplicationId}: stream threads have not polled for {Seconds:F0} s while RUNNING (a stalled rebalance); restarting it with state folder {StateDir}")]
    public static partial void Stalled(ILogger logger, string applicationId, double seconds, string stateDir);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Topology {ApplicationId}: the stalled instance did not stop within {Seconds:F0} s; it is abandoned")]
    public static partial void StalledInstanceAbandoned(ILogger logger, string applicationId, double seconds);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Topology {ApplicationId} went into state ERROR after it had run; replacing it with state folder {StateDir} (at most {Max} times per {Minutes:F0} min, then it fails)")]
    public static partial void ErrorReplaced(ILogger logger, string applicationId, int max, double minutes, string stateDir);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Topology {ApplicationId}: start attempt {Attempt} failed in Kafka ({Error}); retrying with a new instance")]
    public static partial void StartRetried(ILogger logger, string applicationId, int attempt, string error);
}
