using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.LocalStack;
using Streaming.ProviderFakes;
using Streaming.Senders;
using Xunit;

namespace Streaming.Testing;

/// <summary>
/// The sender test rig: one channel on its own topics (created up front: the mock auto-creates only on produce) and its
/// own group, with the provider fakes, a SQLite delivery log and any number of real <see cref="ChannelSender"/>
/// instances in that group. It produces single records or paced traffic and reads back what the senders wrote.
/// </summary>
public sealed class SenderRig : IAsyncDisposable
{
    private readonly LocalStackFixture fx;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "sender-rig", Guid.NewGuid().ToString("N"));
    private readonly IProducer<string, byte[]> producer;
    private readonly ISchemaRegistryClient registry;
    private readonly IAsyncSerializer<ChannelNotification> serializer;
    private readonly List<ChannelSender> senders = [];
    private readonly List<string> published = [];

    private SenderRig(LocalStackFixture fx, FakeProviders fakes, ChannelSenderOptions options)
    {
        this.fx = fx;
        Fakes = fakes;
        Options = options;
        Providers = ProvidersOptions.ForBaseUrl(fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson());
        Log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(directory, "log.db") });
        registry = fx.NewRegistryClient();
        serializer = AvroSerdes.Serializer<ChannelNotification>(registry);
        // Traffic goes straight to the cluster: the rest of the world keeps producing whatever happens to the sender.
        var config = LocalProfile.Producer(fx.BootstrapServers, lingerMs: 1);
        config.EnableIdempotence = true;
        producer = new ProducerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    public FakeProviders Fakes { get; }

    public ChannelSenderOptions Options { get; }

    public ProvidersOptions Providers { get; }

    /// <summary>The delivery log every sender of the rig writes to unless it is started on a decorator of it.</summary>
    public SqliteDeliveryLog Log { get; }

    public string Channel => Options.Channel;

    /// <summary>The sender instance started last.</summary>
    public ChannelSender Sender => senders[^1];

    /// <summary>Event IDs of the traffic, each added as it is handed to the producer.</summary>
    public IReadOnlyList<string> Published
    {
        get
        {
            lock (published)
            {
                return [.. published];
            }
        }
    }

    /// <summary>A rig with no sender running yet; <paramref name="faults"/> is the fakes' fault spec.</summary>
    public static async Task<SenderRig> CreateAsync(LocalStackFixture fx, string channel, string? faults = null, Action<ChannelSenderOptions>? configure = null)
    {
        var fakes = await FakeProviders.StartAsync(faultSpec: faults, cancellationToken: TestContext.Current.CancellationToken);
        var options = SenderTestOptions.Isolated(fx, channel);
        configure?.Invoke(options);
        // After configure: a test's own tiers need their topics too, and a consumer sees a topic created after its
        // subscription only at its next metadata refresh (minutes), so a missing tier would hold retries that long.
        fx.Cluster.CreateTopics(options.ResolvedRetryTopics);
        return new SenderRig(fx, fakes, options);
    }

    /// <summary>A rig with one sender started.</summary>
    public static async Task<SenderRig> StartAsync(LocalStackFixture fx, string channel, string? faults = null, Action<ChannelSenderOptions>? configure = null)
    {
        var rig = await CreateAsync(fx, channel, faults, configure);
        await rig.StartSenderAsync();
        return rig;
    }

    /// <summary>Starts one more instance in the rig's group, on the rig's log or on <paramref name="log"/> (e.g. a decorator of it).</summary>
    public async Task<ChannelSender> StartSenderAsync(IDeliveryLog? log = null)
    {
        var sender = new ChannelSender(Options, Providers, log ?? Log);
        senders.Add(sender);
        await sender.StartAsync(TestContext.Current.CancellationToken);
        return sender;
    }

    /// <summary>Waits until the counts of the sender started last satisfy <paramref name="condition"/>.</summary>
    public Task WaitAsync(Func<SenderStats, bool> condition, string what, int seconds = 30)
        => Eventually.TrueAsync(() => condition(Sender.Stats), TimeSpan.FromSeconds(seconds), what);

    public async Task ProduceAsync(params ChannelNotification[] notifications)
    {
        foreach (var n in notifications)
        {
            await ProduceWithHeadersAsync(n, null);
        }
    }

    public async Task ProduceWithHeadersAsync(ChannelNotification n, Headers? headers)
    {
        await producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = n.userId, Value = await BytesAsync(n), Headers = headers }, TestContext.Current.CancellationToken);
    }

    public Task ProduceRawAsync(string key, byte[] value)
        => producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = key, Value = value }, TestContext.Current.CancellationToken);

    /// <summary>
    /// Produces <paramref name="count"/> notifications at <paramref name="perSecond"/> (paced against a stopwatch) in the
    /// background, or fewer when <paramref name="stop"/> ends it first; see <see cref="Published"/>.
    /// </summary>
    public Task RunTrafficAsync(int count, double perSecond, string run, CancellationToken stop = default)
        => Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(count);
            for (var i = 0; i < count && !stop.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(i / perSecond);
                if (due > clock.Elapsed)
                {
                    try
                    {
                        await Task.Delay(due - clock.Elapsed, stop); // pacing the traffic, not waiting for a condition
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                var n = TestNotifications.For(Channel, TestNotifications.Target(Channel, i, run), user: $"{run}-user-{i % 64}");
                var bytes = await BytesAsync(n);
                lock (published)
                {
                    published.Add(n.eventId);
                }

                sends.Add(producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = n.userId, Value = bytes }));
            }

            await Task.WhenAll(sends);
        });

    /// <summary>The DeliveryStatus records on the status topic (waits for <paramref name="expected"/> of them).</summary>
    public List<(ConsumeResult<string, byte[]?> Raw, DeliveryStatus? Value)> Statuses(int expected) => fx.Read<DeliveryStatus>(Options.StatusTopic!, expected);

    public List<ConsumeResult<string, byte[]?>> Raw(string topic, int expected) => fx.ReadRaw(topic, expected);

    public List<ConsumeResult<string, byte[]?>> DeadLetters() => fx.ReadRaw(Options.DeadLetterTopic!, (int)fx.RecordCount(Options.DeadLetterTopic!), TimeSpan.FromSeconds(10));

    /// <summary>Every final (non-retrying) delivery log row.</summary>
    public async Task<List<DeliveryLogEntry>> FinalOutcomesAsync()
        => [.. (await Log.ReadAllAsync(TestContext.Current.CancellationToken)).Where(e => e.Outcome != Outcomes.Retrying)];

    public long ChannelRecordCount() => fx.RecordCount(Options.Topic!);

    /// <summary>Waits until every published event has a final outcome in the log.</summary>
    public async Task WaitForAllOutcomesAsync(TimeSpan timeout)
    {
        var missing = 0;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var done = (await FinalOutcomesAsync()).Select(e => e.EventId).ToHashSet();
                missing = Published.Count(id => !done.Contains(id));
                return missing == 0;
            }, timeout, "a final outcome for every published message");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{missing} of {Published.Count} published messages still have no final outcome after {timeout}", e);
        }
    }

    /// <summary>What became of the published traffic, in the log, on the status topic and at the provider.</summary>
    public async Task<DeliveryAccount> AccountAsync()
    {
        var ids = Published;
        var finalByEvent = (await FinalOutcomesAsync()).GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.Count());
        var statuses = fx.Read<DeliveryStatus>(Options.StatusTopic!, (int)fx.RecordCount(Options.StatusTopic!), TimeSpan.FromSeconds(30))
            .Where(s => s.Value is { outcome: not Outcomes.Retrying })
            .Select(s => s.Value!.eventId)
            .ToHashSet();
        return new DeliveryAccount(
            Published: ids.Count,
            LostInLog: ids.Count(id => !finalByEvent.ContainsKey(id)),
            LostOnStatusTopic: ids.Count(id => !statuses.Contains(id)),
            DoubleFinalOutcomes: finalByEvent.Count(kv => kv.Value > 1),
            ProviderDuplicates: Fakes.Duplicates,
            DuplicateKeys: Fakes.DuplicateKeys.Select(k => k.EventId).ToList());
    }

    /// <summary>The group's committed offset per partition of the channel topic (-1001 = none), read without joining the group.</summary>
    public IReadOnlyDictionary<int, long> CommittedOffsets()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = fx.BootstrapServers,
            GroupId = Options.GroupId,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        return consumer.Committed(Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartition(Options.Topic!, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>
    /// Where each event landed on the channel topic, by event ID, for every record written before the call (each
    /// partition is read to its end as of the call, while traffic may still be running).
    /// </summary>
    public Dictionary<string, (int Partition, long Offset)> Positions()
        => fx.ReadToEnd<ChannelNotification>(Options.Topic!, TimeSpan.FromSeconds(30))
            .ToDictionary(r => r.Value!.eventId, r => (r.Raw.Partition.Value, r.Raw.Offset.Value));

    private Task<byte[]> BytesAsync(ChannelNotification n)
        => serializer.SerializeAsync(n, new SerializationContext(MessageComponentType.Value, Options.Topic!));

    public async ValueTask DisposeAsync()
    {
        foreach (var s in senders)
        {
            await s.DisposeAsync();
        }

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
