using Microsoft.Extensions.Logging;

namespace Streaming.LocalCql.Server;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Local CQL server listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Local CQL server on {Endpoint} stopped")]
    public static partial void Stopped(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "Local CQL server {Endpoint}: connection from {Client} open")]
    public static partial void ConnectionOpened(ILogger logger, string endpoint, string client);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Debug, Message = "Local CQL server {Endpoint}: connection from {Client} closed ({Reason})")]
    public static partial void ConnectionClosed(ILogger logger, string endpoint, string client, string reason);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Debug, Message = "Local CQL server {Endpoint}: {Client} speaks protocol v{Version}; answered with the version error and closed")]
    public static partial void VersionRejected(ILogger logger, string endpoint, string client, int version);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Warning, Message = "Local CQL server {Endpoint}: protocol error from {Client}: {Reason}")]
    public static partial void ProtocolError(ILogger logger, string endpoint, string client, string reason);

    [LoggerMessage(EventId = 2406, Level = LogLevel.Warning, Message = "Local CQL server {Endpoint}: authentication of {Client} as '{Username}' refused")]
    public static partial void AuthenticationRefused(ILogger logger, string endpoint, string client, string? username);

    [LoggerMessage(EventId = 2407, Level = LogLevel.Debug, Message = "Local CQL server {Endpoint}: {Opcode} failed with {Code}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string endpoint, string opcode, string code, string message);

    [LoggerMessage(EventId = 2408, Level = LogLevel.Error, Message = "Local CQL server {Endpoint}: {Opcode} failed unexpectedly; answered ServerError")]
    public static partial void RequestCrashed(ILogger logger, string endpoint, string opcode, Exception exception);

    [LoggerMessage(EventId = 2409, Level = LogLevel.Warning, Message = "Local CQL server {Endpoint}: the engine advertises {Advertised} in system.local but the server listens on {Listening}")]
    public static partial void EndpointMismatch(ILogger logger, string endpoint, string advertised, string listening);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Local CQL server {Endpoint}: accepting a connection failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string endpoint, string reason);
}
