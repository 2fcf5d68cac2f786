using Microsoft.Extensions.Logging;

namespace Streaming.DeliveryLog;

internal static partial class DeliveryLogLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Delivery log on Cassandra {ContactPoints}, keyspace {Keyspace}, consistency {Consistency}")]
    public static partial void Connected(ILogger logger, string contactPoints, string keyspace, string consistency);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Delivery log cannot reach Cassandra {ContactPoints} (writes wait and are retried): {Error}")]
    public static partial void ConnectFailed(ILogger logger, string contactPoints, string error);
}
