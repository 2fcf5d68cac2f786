using Streaming.LocalStack;
using Streaming.Senders;

namespace Streaming.Bench;

/// <summary>The bench's settings for the platform's parts: what it measures, so the sender stage and the full stack agree.</summary>
internal static class BenchSettings
{
    /// <summary>A sender as the local stack runs it (<see cref="LocalProfile.Sender"/>), tuned by <see cref="Tune"/>.</summary>
    public static ChannelSenderOptions Sender(string channel, string bootstrapServers, string registryUrl)
    {
        var options = LocalProfile.Sender(channel, bootstrapServers, registryUrl);
        Tune(options);
        return options;
    }

    /// <summary>Provider fakes answer at once: no rate limit, a deeper in-flight window, the rest as the local stack runs it.</summary>
    public static void Tune(ChannelSenderOptions options)
    {
        options.RatePerSecond = 0;

        // With the default window the consumer keeps pausing and resuming its partitions (librdkafka drops what it had
        // prefetched on pause and fetches it again) and the sender idles; a deeper window keeps it busy.
        options.MaxInFlight = 5_000;
    }
}
