using Microsoft.Extensions.Logging;

namespace Streaming.Cql.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "CQL host {Host} is UP ({Connections} connection(s))")]
    public static partial void HostUp(ILogger logger, string host, int connections);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "CQL host {Host} is DOWN: {Reason}")]
    public static partial void HostDown(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "CQL host {Host}: reconnection attempt {Attempt} in {DelayMs:F0} ms")]
    public static partial void ReconnectScheduled(ILogger logger, string host, int attempt, double delayMs);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "CQL host {Host}: could not open a connection: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "CQL host {Host} is in datacenter {Datacenter}")]
    public static partial void DatacenterFound(ILogger logger, string host, string? datacenter);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "CQL host {Host}: could not read its datacenter from system.local: {Reason}")]
    public static partial void DatacenterUnknown(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "No CQL host that is up is in the local datacenter {LocalDatacenter}; hosts are in {Datacenters}")]
    public static partial void NoLocalHost(ILogger logger, string localDatacenter, string datacenters);
}
