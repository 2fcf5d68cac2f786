using System.Diagnostics;
using Avro.Specific;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Processors;
using Streaming.Producers;
using Streaming.Senders;
using Streaming.ProviderFakes;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// The platform from the producer library to the provider on its own embedded cluster (the topology writes to the
/// contract topics): users with an email address, the topology, the email sender with its delivery log and the provider
/// fakes. With <c>proxied</c>, the topology and the sender reach the brokers only through a <see cref="KafkaProxy"/>,
/// while the publisher (the rest of the world) goes straight to them.
/// </summary>
internal sealed class PipelineRig : IAsyncDisposable
{
    /// <summary>What the topologies and senders of this test process logged last (one recorder: Streamiz keeps the first factory).</summary>
    private static readonly RecentLogs Logs = new();

    private readonly LocalStackFixture fx;
    private readonly string work = Path.Combine(Path.GetTempPath(), "faults-tests", Guid.NewGuid().ToString("N"));
    private readonly List<string> eventIds = [];
    private readonly List<string> users = [.. Enumerable.Range(0, 50).Select(i => $"pipeline-user-{i:D2}")];
    private int generation;

    private PipelineRig(LocalStackFixture fx, LocalKafkaCluster cluster, KafkaProxy? proxy)
    {
        this.fx = fx;
        Cluster = cluster;
        Proxy = proxy;
        var publisherOptions = Options.Create(new NotificationPublisherOptions
        {
            SourceService = "fault-tests",
            Producer = new() { BootstrapServers = cluster.BootstrapServers, LingerMs = 1 },
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
        });
        Publisher = new NotificationPublisher(publisherOptions);
        Contacts = new ContactInfoPublisher(publisherOptions);
        Log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(work, "log.db") });
        TopologyOptions = new ProcessorOptions
        {
            ApplicationId = "faults-processor-" + Guid.NewGuid().ToString("N")[..8],
            BootstrapServers = ClientBootstrap,
            SchemaRegistry = new() { Url = fx.RegistryUrl },
            Catalog = NotificationCatalog.Demo(),
            StallRestartAfter = TimeSpan.FromSeconds(10), // a stalled topology is replaced within the tests' deadlines
            SessionTimeoutMs = 6000, // a replacement is assigned only once the old member's session has expired
        };
    }

    public LocalKafkaCluster Cluster { get; }

    public KafkaProxy? Proxy { get; }

    /// <summary>Where the topology and the sender connect: the proxy if there is one.</summary>
    public string ClientBootstrap => Proxy?.BootstrapServers ?? Cluster.BootstrapServers;

    public NotificationPublisher Publisher { get; }

    public ContactInfoPublisher Contacts { get; }

    public SqliteDeliveryLog Log { get; }

    public FakeProviders Fakes { get; private set; } = null!;

    public ChannelSender Sender { get; private set; } = null!;

    public ProcessorOptions TopologyOptions { get; }

    public NotificationTopologyRunner? Topology { get; private set; }

    public IReadOnlyList<string> Published
    {
        get
        {
            lock (eventIds)
            {
                return [.. eventIds];
            }
        }
    }

    public static async Task<PipelineRig> StartAsync(LocalStackFixture fx, bool proxied, Action<ProcessorOptions>? configureTopology = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = LocalKafkaCluster.Start();
        var proxy = proxied ? KafkaProxy.Start(cluster.BootstrapServers) : null;
        var rig = new PipelineRig(fx, cluster, proxy);
        configureTopology?.Invoke(rig.TopologyOptions);
        try
        {
            foreach (var u in rig.users)
            {
                await rig.Contacts.PutUserAsync(u, new UserProfileUpdate { DisplayName = u, Email = $"{u}@example.com", Locale = "en" }, ct);
            }

            cluster.CreateTopics(NotificationTopology.InternalTopics(rig.TopologyOptions.ApplicationId));
            rig.Fakes = await FakeProviders.StartAsync(faultSpec: "latency=2ms", cancellationToken: ct);
            rig.Sender = new ChannelSender(SenderTestOptions.For(Channels.Email, rig.ClientBootstrap, fx.RegistryUrl), ProvidersOptions.ForBaseUrl(rig.Fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), rig.Fakes.FcmServiceAccountJson()), rig.Log, Logs);
            await rig.Sender.StartAsync(ct);
            await rig.StartTopologyAsync();
            await rig.Sender.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }

        return rig;
    }

    /// <summary>Starts a topology instance on a state folder of its own (empty: its stores restore from the changelogs).</summary>
    public async Task StartTopologyAsync()
    {
        TopologyOptions.StateDir = Path.Combine(work, $"state-{++generation}");
        Topology = await NotificationTopologyRunner.StartAsync(TopologyOptions, Logs, cancellationToken: TestContext.Current.CancellationToken);
        await Topology.WaitUntilRunningAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    public async Task StopTopologyAsync()
    {
        await Topology!.DisposeAsync();
        Topology = null;
    }

    public NotificationRequest Request(int i, string? eventId = null) => new()
    {
        UserId = users[i % users.Count],
        Category = "social",
        TemplateId = "new-comment",
        Parameters = new Dictionary<string, string> { ["author"] = "Bob", ["snippet"] = $"#{i}" },
        Channels = [Channels.Email],
        EventId = eventId,
    };

    /// <summary>Publishes <paramref name="count"/> requests at <paramref name="perSecond"/> in the background (paced against a stopwatch).</summary>
    public Task RunTrafficAsync(int count, double perSecond)
        => Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var due = TimeSpan.FromSeconds(i / perSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed); // pacing the traffic, not waiting for a condition
                }

                var receipt = await Publisher.PublishAsync(Request(i));
                lock (eventIds)
                {
                    eventIds.Add(receipt.EventId);
                }
            }
        });

    public async Task WaitAllDeliveredAsync(TimeSpan timeout)
    {
        var ids = Published;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var delivered = (await Log.ReadAllAsync(TestContext.Current.CancellationToken)).Where(r => r.Outcome == "delivered").Select(r => r.EventId).ToHashSet();
            var missing = ids.Count(id => !delivered.Contains(id));
            if (missing == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{missing} of {ids.Count} requests not delivered after {timeout}. {Diagnose()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Where the requests stopped: records per topic, the sender's counters, the topology's state and the last log lines.</summary>
    public string Diagnose()
        => $"requested={Cluster.RecordCount(Topics.Requested)} email={Cluster.RecordCount(Topics.Email)} " +
           $"statuses={Cluster.RecordCount(Topics.DeliveryStatus)} dlq={Cluster.RecordCount(Topics.DeadLetter)}; sender {Sender.Stats}; " +
           $"topology failed={Topology?.Failed.IsCompleted} restarts={Topology?.Restarts}; proxy cut={Proxy?.IsCut} open={Proxy?.OpenConnections}{Environment.NewLine}" +
           $"last log lines:{Environment.NewLine}{Logs.Tail()}";

    /// <summary>lost (requests without a delivered row), delivered rows per event, copies of each channel message, provider duplicates.</summary>
    public async Task<PipelineAccount> AccountAsync()
    {
        var ids = Published;
        var rows = await Log.ReadAllAsync(TestContext.Current.CancellationToken);
        var delivered = rows.Where(r => r.Outcome == "delivered").GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.Count());
        var emails = ReadAll<ChannelNotification>(Topics.Email).GroupBy(e => e.eventId).ToDictionary(g => g.Key, g => g.Count());
        return new PipelineAccount(
            ids.Count,
            ids.Count(id => !delivered.ContainsKey(id)),
            delivered.Count(kv => kv.Value > 1),
            emails,
            emails.Values.Sum(n => n - 1),
            Fakes.Duplicates);
    }

    /// <summary>Every record of a topic (straight from the brokers), deserialized.</summary>
    public List<T> ReadAll<T>(string topic)
        where T : class, ISpecificRecord, new()
    {
        using var registry = fx.NewRegistryClient();
        var deserializer = AvroSerdes.Deserializer<T>(registry);
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var expected = Cluster.RecordCount(topic);
        consumer.Assign(Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<T>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (values.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false, Message.Value: { } bytes })
            {
                values.Add(deserializer.Deserialize(bytes, false, new SerializationContext(MessageComponentType.Value, topic)));
            }
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        Proxy?.Restore(); // a test that failed mid-outage: let the clients commit and leave instead of waiting on the brokers
        if (Topology is not null)
        {
            await Topology.DisposeAsync();
        }

        if (Sender is not null)
        {
            await Sender.DisposeAsync();
        }

        Publisher.Dispose();
        Contacts.Dispose();
        await Log.DisposeAsync();
        if (Fakes is not null)
        {
            await Fakes.DisposeAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        Cluster.Dispose();
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
            // RocksDB may hold a lock a moment longer; the folder is under the temp path.
        }
    }
}

internal sealed record PipelineAccount(int Published, int Lost, int DoubleDelivered, IReadOnlyDictionary<string, int> ChannelCopies, int ChannelDuplicates, int ProviderDuplicates)
{
    public override string ToString()
        => $"requests={Published} lost={Lost} double-delivered={DoubleDelivered} channel-duplicates={ChannelDuplicates} provider-duplicates={ProviderDuplicates}";
}
