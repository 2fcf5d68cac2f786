using Microsoft.Extensions.Logging;

namespace Streaming.Cql.Connections;

internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "CQL connection to {Host} open (keyspace {Keyspace})")]
    public static partial void Opened(ILogger logger, string host, string? keyspace);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "CQL connection to {Host} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "CQL connection to {Host} closed by the client")]
    public static partial void ClosedByClient(ILogger logger, string host);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "CQL connection to {Host}: ignored a server-initiated {Opcode} frame")]
    public static partial void EventIgnored(ILogger logger, string host, string opcode);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "CQL connection to {Host}: answer on stream {Stream}, which has no request; ignored")]
    public static partial void UnexpectedStream(ILogger logger, string host, short stream);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "CQL connection to {Host}: late answer on stream {Stream} after its request timed out; the id is free again")]
    public static partial void LateAnswer(ILogger logger, string host, short stream);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "CQL connection to {Host}: {Orphans} of {Capacity} stream ids wait for late answers; draining the connection")]
    public static partial void Draining(ILogger logger, string host, int orphans, int capacity);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "CQL server {Host} asks for authentication with {Authenticator}")]
    public static partial void Authenticating(ILogger logger, string host, string authenticator);
}
