using Streaming.Hosting;
using Streaming.Processors;

namespace Streaming.Processors.Host;

internal static class Extensions
{
    /// <summary>Registration of the processor host: the topology as a hosted service and its metrics/traces, with settings from configuration.</summary>
    public static IHostApplicationBuilder AddProcessorHost(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotificationTopology(builder.Configuration);
        builder.Services.AddStreamingTelemetry(builder.Configuration, "streaming-processor");
        return builder;
    }
}
