using Confluent.Kafka;
using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.ProviderFakes;
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

    private SenderHarness(LocalStackFixture fx, FakeProviders fakes, ChannelSenderOptions options)
    {
        this.fx = fx;
        Fakes = fakes;
        Options = options;
        Log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(directory, "log.db") });
        registry = fx.NewRegistryClient();
        serializer = AvroSerdes.Serializer<ChannelNotification>(registry);
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 1 }).Build();
    }

    public FakeProviders Fakes { get; }

    public ChannelSenderOptions Options { get; }

    public SqliteDeliveryLog Log { get; }

    public ChannelSender Sender { get; private set; } = null!;

    public ProvidersOptions Providers { get; private set; } = null!;

    /// <summary>The log the sender writes through (default: <see cref="Log"/>); tests wrap it to hold writes back.</summary>
    public IDeliveryLog SenderLog { get; set; } = null!;

    public static async Task<SenderHarness> StartAsync(LocalStackFixture fx, string channel, string? faults = null, Action<ChannelSenderOptions>? configure = null, Func<IDeliveryLog, IDeliveryLog>? wrapLog = null)
    {
        var fakes = await FakeProviders.StartAsync(faultSpec: faults, cancellationToken: TestContext.Current.CancellationToken);
        var options = SenderTestKit.IsolatedOptions(fx, channel, $"snd-{channel}");
        configure?.Invoke(options);
        var harness = new SenderHarness(fx, fakes, options);
        harness.Providers = ProvidersOptions.ForBaseUrl(fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson());
        harness.SenderLog = wrapLog?.Invoke(harness.Log) ?? harness.Log;
        await harness.StartSenderAsync();
        return harness;
    }

    /// <summary>Starts a (new) sender instance on the same topics, group and log, e.g. after a crash.</summary>
    public async Task StartSenderAsync()
    {
        Sender = new ChannelSender(Options, Providers, SenderLog);
        await Sender.StartAsync(TestContext.Current.CancellationToken);
    }

    public static ChannelNotification Notification(string channel, string target, string? eventId = null, string user = "user-1", DateTime? expiresAt = null)
        => SenderTestKit.Notification(channel, target, eventId ?? Guid.NewGuid().ToString(), user, "tests", expiresAt);

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
