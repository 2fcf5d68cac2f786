namespace Streaming.Api;

internal static partial class ApiLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Accepted notification {EventId} from {Client} ({Category})")]
    public static partial void Accepted(ILogger logger, string eventId, string client, string category);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Rejected request from {Client}: {Status} {Code}")]
    public static partial void Rejected(ILogger logger, string client, int status, string code);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Publishing failed for {Client}: {Error}")]
    public static partial void PublishFailed(ILogger logger, string client, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Notification API listening on {Urls}")]
    public static partial void Listening(ILogger logger, string urls);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Notification {EventId} was accepted, but its accepted row is not in the delivery log: {Error}")]
    public static partial void AcceptedRowFailed(ILogger logger, string eventId, string error);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Status of {EventId} for {Client} not answered, the delivery log is unavailable: {Error}")]
    public static partial void StatusReadFailed(ILogger logger, string eventId, string client, string error);
}
