using Streaming.Hosting;
using Streaming.Senders;
using Streaming.Senders.Recording;

namespace Streaming.Senders.Host;

internal static class Extensions
{
    /// <summary>The senders selected by "--channel" or "Senders:Channels" and the status recorder, each a hosted service, sharing one delivery log.</summary>
    public static IHostApplicationBuilder AddSenders(this IHostApplicationBuilder builder)
    {
        // Draining in-flight records and committing needs more than the default 30 s on a slow provider.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddChannelSenders(builder.Configuration);
        // The topology's outcomes reach the delivery log through the recorder (StatusRecorder:Enabled, on by default).
        builder.Services.AddStatusRecorder(builder.Configuration);
        // Meter "Streaming.Senders" (SenderMetrics) is exported with every other Streaming.* meter.
        builder.Services.AddStreamingTelemetry(builder.Configuration, "streaming-senders");
        return builder;
    }
}
