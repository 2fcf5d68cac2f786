using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Processors;
using Streaming.Senders;
using Streaming.Senders.Recording;

namespace Streaming.LocalStack;

/// <summary>
/// Every client setting tuned for the embedded cluster, in one place: the local stack, the bench and the tests build
/// their consumers, producers, topology and senders from here, then change only what their run is about.
/// </summary>
/// <remarks>
/// Why these values: the mock holds an empty fetch for the whole <c>fetch.wait.max.ms</c> (500 ms by default, per hop);
/// it reassigns a member's partitions only after that member's session expired; it silently drops the oldest batches of a
/// partition past ~5 MiB, so <c>auto.offset.reset=error</c> turns such a loss into an error instead of a skip; and it finds a
/// fetch offset by walking a partition's batches, so fewer, larger producer batches (linger) make every fetch cheaper.
/// </remarks>
public static class LocalProfile
{
    /// <summary>Brokers of the embedded cluster: the mock serves every broker from one thread, so one is fastest.</summary>
    public const int Brokers = 1;

    /// <summary>linger.ms of every producer (librdkafka's default is 5).</summary>
    public const double LingerMs = 20;

    /// <summary>fetch.wait.max.ms of every consumer (librdkafka's default is 500).</summary>
    public const int FetchWaitMaxMs = 20;

    /// <summary>Streamiz poll.ms of the topology (Streamiz's default is 100).</summary>
    public const long TopologyPollMs = 10;

    /// <summary>session.timeout.ms of every group member: how long a vanished member holds its partitions on the mock.</summary>
    public const int SessionTimeoutMs = 6000;

    public const int HeartbeatIntervalMs = 1000;

    /// <summary>The application ID (and consumer group) of the local topology.</summary>
    public const string ProcessorApplicationId = "streaming-processor";

    /// <summary>Retry tiers of the local senders: shorter than production's, so a local run drains in seconds.</summary>
    public static TimeSpan[] RetryDelays => [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    /// <summary>A consumer of the platform's own groups on the embedded cluster.</summary>
    public static ConsumerConfig Consumer(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        AutoOffsetReset = AutoOffsetReset.Error,
        SessionTimeoutMs = SessionTimeoutMs,
        HeartbeatIntervalMs = HeartbeatIntervalMs,
        FetchWaitMaxMs = FetchWaitMaxMs,
    };

    public static ProducerConfig Producer(string bootstrapServers, double lingerMs = LingerMs) => new()
    {
        BootstrapServers = bootstrapServers,
        LingerMs = lingerMs,
    };

    /// <summary>The topology's options on the embedded cluster; the state lives under <paramref name="stateDir"/>.</summary>
    public static ProcessorOptions Topology(string bootstrapServers, string registryUrl, string stateDir, string applicationId = ProcessorApplicationId) => new()
    {
        ApplicationId = applicationId,
        BootstrapServers = bootstrapServers,
        SchemaRegistry = new() { Url = registryUrl },
        Catalog = NotificationCatalog.Demo(),
        StateDir = stateDir,
        AutoOffsetReset = AutoOffsetReset.Error,
        SessionTimeoutMs = SessionTimeoutMs,
        FetchWaitMaxMs = FetchWaitMaxMs,
        PollMs = TopologyPollMs,
        LingerMs = LingerMs,
    };

    /// <summary>A channel sender's options on the embedded cluster, with the local retry tiers.</summary>
    public static ChannelSenderOptions Sender(string channel, string bootstrapServers, string registryUrl) => new()
    {
        Channel = channel,
        RetryDelays = RetryDelays,
        Consumer = Consumer(bootstrapServers),
        Producer = Producer(bootstrapServers),
        SchemaRegistry = new SchemaRegistryOptions { Url = registryUrl },
    };

    /// <summary>The status recorder's options on the embedded cluster.</summary>
    public static StatusRecorderOptions StatusRecorder(string bootstrapServers, string registryUrl) => new()
    {
        Consumer = Consumer(bootstrapServers),
        SchemaRegistry = new SchemaRegistryOptions { Url = registryUrl },
    };
}
