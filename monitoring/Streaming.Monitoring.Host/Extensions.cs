using Streaming.Hosting;
using Streaming.Monitoring;

namespace Streaming.Monitoring.Host;

internal static class Extensions
{
    /// <summary>The lag monitor as a hosted service and its gauges on the Prometheus endpoint, settings from configuration.</summary>
    public static IHostApplicationBuilder AddLagMonitorHost(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLagMonitor(builder.Configuration);
        builder.Services.AddStreamingTelemetry(builder.Configuration, "streaming-lag-monitor");
        return builder;
    }
}
