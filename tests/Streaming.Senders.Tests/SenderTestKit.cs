using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>
/// What every sender test rig builds the same way: a channel on its own topics and group with short retry tiers, and a
/// well-formed channel message. Compiled into the senders tests and linked into the fault tests.
/// </summary>
internal static class SenderTestKit
{
    /// <summary>Options for one channel on fresh topics (created up front) and a fresh group, tuned for fast tests.</summary>
    public static ChannelSenderOptions IsolatedOptions(LocalStackFixture fx, string channel, string prefix) => new()
    {
        Channel = channel,
        Topic = fx.NewTopic(prefix),
        RetryTopic = fx.NewTopic(prefix + "-retry"),
        DeadLetterTopic = fx.NewTopic(prefix + "-dlq"),
        StatusTopic = fx.NewTopic(prefix + "-status"),
        DevicesTopic = fx.NewTopic(prefix + "-devices"),
        GroupId = $"{prefix}-{Guid.NewGuid():N}",
        RetryDelays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600)],
        InPlaceRetries = 1,
        InPlaceBaseDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        BreakerMinimumThroughput = 1000,
        RatePerSecond = 0,
        DrainTimeout = TimeSpan.FromSeconds(10),
        Consumer = new ConsumerConfig
        {
            BootstrapServers = fx.BootstrapServers,
            // The local profile's setting: a brand-new group must still start (from the beginning).
            AutoOffsetReset = AutoOffsetReset.Error,
            SessionTimeoutMs = 6000, // the mock reassigns a vanished member only after its session expires
            AutoCommitIntervalMs = 200,
        },
        Producer = new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 1 },
        SchemaRegistry = new SchemaRegistryOptions { Url = fx.RegistryUrl },
    };

    /// <summary>A rendered message for <paramref name="target"/> on <paramref name="channel"/>, as the topology would emit it.</summary>
    public static ChannelNotification Notification(string channel, string target, string eventId, string user, string sourceService, DateTime? expiresAt = null) => new()
    {
        eventId = eventId,
        userId = user,
        channel = channel,
        target = target,
        platform = channel is Channels.Apns ? "ios" : channel is Channels.Fcm ? "android" : null,
        app = channel is Channels.Apns or Channels.Fcm ? "com.example.app" : null,
        category = "social",
        priority = "normal",
        locale = "en",
        templateId = "new-comment",
        title = "Hello",
        subject = channel == Channels.Email ? "Hello" : null,
        body = "Bob commented: Nice!",
        data = new Dictionary<string, string> { ["screen"] = "comments" },
        collapseKey = null,
        expiresAt = expiresAt,
        sourceService = sourceService,
        requestedAt = DateTime.UtcNow,
        routedAt = DateTime.UtcNow,
    };
}
