using Microsoft.Extensions.Logging;

namespace Streaming.Cql.Requests;

internal static partial class RequestLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "CQL '{Statement}' failed on {Host} ({Error}); retry {Retry}: {Decision}")]
    public static partial void Retrying(ILogger logger, string statement, string host, string error, int retry, string decision);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "CQL host {Host} did not know prepared '{Query}'; re-prepared it")]
    public static partial void Reprepared(ILogger logger, string host, string query);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "CQL host {Host} re-prepared '{Query}' under another id: the keyspace changed since it was first prepared")]
    public static partial void RepreparedIdChanged(ILogger logger, string host, string query);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "CQL host {Host} warned about '{Statement}': {Warnings}")]
    public static partial void ServerWarnings(ILogger logger, string host, string statement, string warnings);
}
