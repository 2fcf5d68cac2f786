using Streaming.LocalStack;
using Streaming.Senders;

namespace Streaming.Testing;

/// <summary>
/// Sender options for tests: the local profile's client settings (<see cref="LocalProfile"/>) with what makes a test
/// fast on top, stated here as overrides.
/// </summary>
public static class SenderTestOptions
{
    /// <summary>
    /// A channel's sender on the embedded cluster: short retry tiers, one quick in-place retry, no rate limit, a breaker
    /// that stays closed unless a test lowers its threshold, 200 ms auto-commits and producer batches of one.
    /// </summary>
    public static ChannelSenderOptions For(string channel, string bootstrapServers, string registryUrl)
    {
        var options = LocalProfile.Sender(channel, bootstrapServers, registryUrl);
        options.RetryDelays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600)];
        options.InPlaceRetries = 1;
        options.InPlaceBaseDelay = TimeSpan.FromMilliseconds(20);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.BreakerMinimumThroughput = 1000;
        options.RatePerSecond = 0;
        options.DrainTimeout = TimeSpan.FromSeconds(10);
        options.Consumer.AutoCommitIntervalMs = 200;
        options.Consumer.ReconnectBackoffMaxMs = 500; // reconnect soon after a cut connection is restored
        options.Producer.ReconnectBackoffMaxMs = 500;
        options.Producer.LingerMs = 1;
        return options;
    }

    /// <summary><see cref="For"/> on fresh topics and a fresh group (the rig creates the retry tiers' topics once a test has set its tiers).</summary>
    public static ChannelSenderOptions Isolated(LocalStackFixture fx, string channel)
    {
        var prefix = $"rig-{channel}";
        var options = For(channel, fx.BootstrapServers, fx.RegistryUrl);
        options.Topic = fx.NewTopic(prefix);
        options.RetryTopic = fx.NewTopic(prefix + "-retry");
        options.DeadLetterTopic = fx.NewTopic(prefix + "-dlq");
        options.StatusTopic = fx.NewTopic(prefix + "-status");
        options.DevicesTopic = fx.NewTopic(prefix + "-devices");
        options.GroupId = $"{prefix}-{Guid.NewGuid():N}";
        return options;
    }
}
