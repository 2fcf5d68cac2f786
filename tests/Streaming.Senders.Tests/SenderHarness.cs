using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Senders.Fakes;
using Streaming.Senders;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>
/// One channel sender on its own topics, group, SQLite log and provider fakes. Topics are created up front (the mock
/// only auto-creates on produce, and a consumer subscribed to a missing topic would not see it for minutes).
/// </summary>
internal sealed class SenderHarness : IAsyncDisposable
{
    private readonly LocalStackFixture fx;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "senders-tests", Guid.NewGuid().ToString("N"));
    private readonly IProducer<string, byte[]> producer;
    private readonly IAsyncSerializer<ChannelNotification> serializer;
    private readonly Confluent.SchemaRegistry.ISchemaRegistryClient registry;

    private SenderHarness(LocalStackFixture fx, ProviderFakes fakes, ChannelSenderOptions options)
    {
        this.fx = fx;
        Fakes = fakes;
        Options = options;
        Log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(directory, "log.db") });
        registry = fx.NewRegistryClient();
        serializer = AvroSerdes.Serializer<ChannelNotification>(registry);
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 1 }).Build();
    }

    public ProviderFakes Fakes { get; }

    public ChannelSenderOptions Options { get; }

    public SqliteDeliveryLog Log { get; }

    public ChannelSender Sender { get; private set; } = null!;

    public ProvidersOptions Providers { get; private set; } = null!;

    public static async Task<SenderHarness> StartAsync(LocalStackFixture fx, string channel, string? faults = null, Action<ChannelSenderOptions>? configure = null)
    {
        var fakes = await ProviderFakes.StartAsync(faultSpec: faults, cancellationToken: TestContext.Current.CancellationToken);
        var prefix = $"snd-{channel}";
        var options = new ChannelSenderOptions
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
                SessionTimeoutMs = 6000,
                AutoCommitIntervalMs = 200,
            },
            Producer = new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 1 },
            SchemaRegistry = new SchemaRegistryOptions { Url = fx.RegistryUrl },
        };
        configure?.Invoke(options);
        var harness = new SenderHarness(fx, fakes, options);
        harness.Providers = ProvidersOptions.ForBaseUrl(fakes.BaseUrl, ProviderFakes.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson());
        await harness.StartSenderAsync();
        return harness;
    }

    /// <summary>Starts a (new) sender instance on the same topics, group and log, e.g. after a crash.</summary>
    public async Task StartSenderAsync()
    {
        Sender = new ChannelSender(Options, Providers, Log);
        await Sender.StartAsync(TestContext.Current.CancellationToken);
    }

    public static ChannelNotification Notification(string channel, string target, string? eventId = null, string user = "user-1", DateTime? expiresAt = null) => new()
    {
        eventId = eventId ?? Guid.NewGuid().ToString(),
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
        sourceService = "tests",
        requestedAt = DateTime.UtcNow,
        routedAt = DateTime.UtcNow,
    };

    public async Task ProduceAsync(params ChannelNotification[] notifications)
    {
        foreach (var n in notifications)
        {
            var bytes = await serializer.SerializeAsync(n, new SerializationContext(MessageComponentType.Value, Options.Topic!));
            await producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = n.userId, Value = bytes }, TestContext.Current.CancellationToken);
        }
    }

    public async Task ProduceWithHeadersAsync(ChannelNotification n, Headers headers)
    {
        var bytes = await serializer.SerializeAsync(n, new SerializationContext(MessageComponentType.Value, Options.Topic!));
        await producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = n.userId, Value = bytes, Headers = headers }, TestContext.Current.CancellationToken);
    }

    public Task ProduceRawAsync(string key, byte[] value)
        => producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = key, Value = value }, TestContext.Current.CancellationToken);

    public List<(ConsumeResult<string, byte[]?> Raw, DeliveryStatus? Value)> Statuses(int expected) => fx.Read<DeliveryStatus>(Options.StatusTopic!, expected);

    public List<ConsumeResult<string, byte[]?>> Raw(string topic, int expected) => fx.ReadRaw(topic, expected);

    public async Task<List<DeliveryLogEntry>> FinalOutcomesAsync()
        => [.. (await Log.ReadAllAsync(TestContext.Current.CancellationToken)).Where(e => e.Outcome != "retrying")];

    public Task WaitAsync(Func<SenderStats, bool> condition, string what, int seconds = 30)
        => Eventually.TrueAsync(() => condition(Sender.Stats), TimeSpan.FromSeconds(seconds), what);

    public async ValueTask DisposeAsync()
    {
        await Sender.DisposeAsync();
        producer.Dispose();
        registry.Dispose();
        await Log.DisposeAsync();
        await Fakes.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
