using Streaming.Processors;

namespace Streaming.Processors.Host;

internal static class Extensions
{
    /// <summary>Registration of the processor host: the topology as a hosted service, with settings from configuration.</summary>
    public static IHostApplicationBuilder AddProcessorHost(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotificationTopology(builder.Configuration);
        return builder;
    }
}
