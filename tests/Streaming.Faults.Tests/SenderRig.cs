using System.Diagnostics;
using Confluent.Kafka;
using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.Senders;
using Streaming.ProviderFakes;
using Streaming.Senders.Tests;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// One channel on its own topics and group, with real provider fakes, a real SQLite delivery log and any number of
/// real <see cref="ChannelSender"/> instances; a paced producer for steady traffic and the lost/duplicate accounting
/// every fault test ends with.
/// </summary>
internal sealed class SenderRig : IAsyncDisposable
{
    private readonly LocalStackFixture fx;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "faults-tests", Guid.NewGuid().ToString("N"));
    private readonly IProducer<string, byte[]> producer;
    private readonly Confluent.SchemaRegistry.ISchemaRegistryClient registry;
    private readonly IAsyncSerializer<ChannelNotification> serializer;
    private readonly List<ChannelSender> senders = [];
    private readonly List<string> published = [];

    private SenderRig(LocalStackFixture fx, FakeProviders fakes, ChannelSenderOptions options)
    {
        this.fx = fx;
        Fakes = fakes;
        Options = options;
        SqliteLog = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(directory, "log.db") });
        registry = fx.NewRegistryClient();
        serializer = AvroSerdes.Serializer<ChannelNotification>(registry);
        // Traffic goes straight to the cluster: the rest of the world keeps producing whatever happens to the sender.
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 1, EnableIdempotence = true })
            .SetLogHandler((_, _) => { }).Build();
        Providers = ProvidersOptions.ForBaseUrl(fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson());
    }

    public FakeProviders Fakes { get; }

    public ChannelSenderOptions Options { get; }

    public ProvidersOptions Providers { get; }

    public SqliteDeliveryLog SqliteLog { get; }

    public string Channel => Options.Channel;

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

    public static async Task<SenderRig> CreateAsync(LocalStackFixture fx, string channel, string faults, Action<ChannelSenderOptions>? configure = null)
    {
        var fakes = await FakeProviders.StartAsync(faultSpec: faults, cancellationToken: TestContext.Current.CancellationToken);
        var options = SenderTestKit.IsolatedOptions(fx, channel, $"faults-{channel}");
        options.Consumer.HeartbeatIntervalMs = 1000;
        options.Consumer.ReconnectBackoffMaxMs = 500; // reconnect soon after a cut connection is restored
        options.Producer.ReconnectBackoffMaxMs = 500;
        configure?.Invoke(options);
        return new SenderRig(fx, fakes, options);
    }

    /// <summary>Starts one more instance in the rig's group, on the rig's log or on <paramref name="log"/> (e.g. a decorator of it).</summary>
    public async Task<ChannelSender> StartSenderAsync(IDeliveryLog? log = null)
    {
        var sender = new ChannelSender(Options, Providers, log ?? SqliteLog);
        senders.Add(sender);
        await sender.StartAsync(TestContext.Current.CancellationToken);
        return sender;
    }

    public ChannelNotification Notification(int i, string run)
    {
        var target = Channel switch
        {
            Channels.Email => $"{run}-{i}@example.com",
            Channels.Sms => $"+4915{i:D9}",
            _ => $"{run}-token-{i:D6}",
        };
        return SenderTestKit.Notification(Channel, target, Guid.NewGuid().ToString(), $"{run}-user-{i % 64}", "fault-tests");
    }

    /// <summary>
    /// Produces <paramref name="count"/> notifications at <paramref name="perSecond"/> (paced against a stopwatch) in the
    /// background, or fewer when <paramref name="stop"/> ends it first. The event IDs are in <see cref="Published"/> as soon as they are handed to the producer.
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

                var n = Notification(i, run);
                var bytes = await serializer.SerializeAsync(n, new SerializationContext(MessageComponentType.Value, Options.Topic!));
                lock (published)
                {
                    published.Add(n.eventId);
                }

                sends.Add(producer.ProduceAsync(Options.Topic!, new Message<string, byte[]> { Key = n.userId, Value = bytes }));
            }

            await Task.WhenAll(sends);
        });

    /// <summary>Every final (non-retrying) delivery log row.</summary>
    public async Task<List<DeliveryLogEntry>> FinalOutcomesAsync()
        => [.. (await SqliteLog.ReadAllAsync(TestContext.Current.CancellationToken)).Where(e => e.Outcome != "retrying")];

    /// <summary>Polls until every published event has a final outcome in the log.</summary>
    public async Task WaitForAllOutcomesAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var done = (await FinalOutcomesAsync()).Select(e => e.EventId).ToHashSet();
            var missing = Published.Count(id => !done.Contains(id));
            if (missing == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{missing} of {Published.Count} published messages still have no final outcome after {timeout}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The end of every fault test. lost: published events without a final outcome in the delivery log or without a final
    /// status on the status topic. Returns (lost, events with more than one final log row, provider duplicates).
    /// </summary>
    public async Task<FaultAccount> AccountAsync()
    {
        var ids = Published;
        var finals = await FinalOutcomesAsync();
        var finalByEvent = finals.GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.Count());
        var statusCount = (int)fx.RecordCount(Options.StatusTopic!);
        var statuses = fx.Read<DeliveryStatus>(Options.StatusTopic!, statusCount, TimeSpan.FromSeconds(30))
            .Where(s => s.Value is { outcome: not "retrying" })
            .Select(s => s.Value!.eventId)
            .ToHashSet();
        var lostInLog = ids.Count(id => !finalByEvent.ContainsKey(id));
        var lostOnTopic = ids.Count(id => !statuses.Contains(id));
        return new FaultAccount(
            Published: ids.Count,
            LostInLog: lostInLog,
            LostOnStatusTopic: lostOnTopic,
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
        return consumer.Committed(Enumerable.Range(0, 4).Select(p => new TopicPartition(Options.Topic!, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>
    /// Where each event landed on the channel topic: (partition, offset) by event ID, for every record written before the
    /// call (traffic may still be running; each partition is read to its end as of the call).
    /// </summary>
    public Dictionary<string, (int Partition, long Offset)> Positions()
        => fx.ReadToEnd<ChannelNotification>(Options.Topic!, TimeSpan.FromSeconds(30))
            .ToDictionary(r => r.Value!.eventId, r => (r.Raw.Partition.Value, r.Raw.Offset.Value));

    public long ChannelRecordCount() => fx.RecordCount(Options.Topic!);

    public List<ConsumeResult<string, byte[]?>> DeadLetters() => fx.ReadRaw(Options.DeadLetterTopic!, (int)fx.RecordCount(Options.DeadLetterTopic!), TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        foreach (var s in senders)
        {
            await s.DisposeAsync();
        }

        producer.Dispose();
        registry.Dispose();
        await SqliteLog.DisposeAsync();
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

/// <summary>What a fault test observed: the numbers the report quotes.</summary>
internal sealed record FaultAccount(int Published, int LostInLog, int LostOnStatusTopic, int DoubleFinalOutcomes, int ProviderDuplicates, IReadOnlyList<string> DuplicateKeys)
{
    public int Lost => Math.Max(LostInLog, LostOnStatusTopic);

    public override string ToString()
        => $"published={Published} lost={Lost} (log {LostInLog}, status topic {LostOnStatusTopic}) double-final={DoubleFinalOutcomes} provider-duplicates={ProviderDuplicates}";
}
