using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.Processors;
using Streaming.Producers;
using Streaming.Senders;
using Streaming.ProviderFakes;

namespace Streaming.Bench;

/// <summary>The isolated stages of `streaming bench`, each on its own fresh embedded cluster.</summary>
internal static class BenchStages
{
    private const string RawTopic = "bench.raw";
    private const int RawRecordBytes = 300;

    // 12 000 records of 300 bytes (plus batch overhead) is ~4 MiB: inside the ~5 MiB the mock keeps per partition.
    private const int RawPerPartitionRound = 12_000;

    // Pre-loaded Avro backlogs: ~10 000 records per partition stay well inside the 5 MiB a partition keeps.
    public const int TopologyBacklogMax = 40_000;
    public const int SenderBacklogMax = 30_000;

    /// <summary>
    /// Plain Confluent.Kafka: an idempotent acks=all producer (linger 5 ms) writes a round of 300-byte records that fits the
    /// partitions, one assigned consumer (no group) reads the round back; rounds repeat until <paramref name="records"/>.
    /// </summary>
    public static async Task<(double ProducePerS, double ConsumePerS)> RawAsync(int records, ILogger log, CancellationToken ct)
    {
        using var cluster = LocalKafkaCluster.Start(topics: [RawTopic], logger: log);
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "bench-raw", // assigned, never joined
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Error, // a record the mock dropped is an error, not a skip
        }).Build();
        var payload = new byte[RawRecordBytes];
        Random.Shared.NextBytes(payload);
        var produceTime = TimeSpan.Zero;
        var consumeTime = TimeSpan.Zero;
        long produced = 0, consumed = 0, errors = 0;
        var next = new long[LocalKafkaCluster.PartitionsPerTopic];
        consumer.Assign(Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(RawTopic, p, 0)));
        while (produced < records)
        {
            var round = (int)Math.Min(records - produced, RawPerPartitionRound * LocalKafkaCluster.PartitionsPerTopic);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < round; i++)
            {
                var partition = new TopicPartition(RawTopic, i % LocalKafkaCluster.PartitionsPerTopic);
                while (true)
                {
                    try
                    {
                        producer.Produce(partition, new Message<Null, byte[]> { Value = payload }, d =>
                        {
                            if (d.Error.IsError)
                            {
                                Interlocked.Increment(ref errors);
                            }
                        });
                        break;
                    }
                    catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }

            producer.Flush(ct);
            produceTime += clock.Elapsed;
            produced += round;

            clock.Restart();
            var target = consumed + round;
            while (consumed < target)
            {
                var r = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new BenchFailure($"raw: consumer stalled at {consumed} of {produced} records on {RawTopic}.");
                if (r.Offset.Value != next[r.Partition.Value])
                {
                    throw new BenchFailure($"raw: {RawTopic}[{r.Partition.Value}] jumped from offset {next[r.Partition.Value]} to {r.Offset.Value}: records were dropped before they were read.");
                }

                next[r.Partition.Value] = r.Offset.Value + 1;
                consumed++;
            }

            consumeTime += clock.Elapsed;
        }

        if (Interlocked.Read(ref errors) > 0)
        {
            throw new BenchFailure($"raw: {errors} produce errors on {RawTopic}.");
        }

        await Task.CompletedTask;
        return (produced / produceTime.TotalSeconds, consumed / consumeTime.TotalSeconds);
    }

    /// <summary>
    /// The topology alone: contact data seeded, notifications.requested pre-loaded, then the topology started with
    /// <paramref name="threadCounts"/> stream threads in turn (a fresh application ID each, so each run reads the whole
    /// backlog); timed from its first to its last channel message, then its group must have committed everything.
    /// </summary>
    public static async Task<IReadOnlyList<double>> TopologyAsync(int requests, int users, int[] threadCounts, ILoggerFactory loggers, CancellationToken ct)
    {
        var log = loggers.CreateLogger("Streaming.Bench");
        using var cluster = LocalKafkaCluster.Start(logger: log);
        await using var registry = await LocalSchemaRegistry.StartAsync(0, loggers, ct);
        using var kafka = new BenchKafka(cluster);
        var publisherOptions = Options.Create(new NotificationPublisherOptions
        {
            SourceService = "bench",
            Producer = new() { BootstrapServers = cluster.BootstrapServers },
            SchemaRegistry = new() { Url = registry.UrlString },
        });
        using (var contacts = new ContactInfoPublisher(publisherOptions))
        {
            await BenchWorkload.SeedAsync(contacts, users, ct);
        }

        using (var registryClient = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.UrlString }))
        {
            var serializer = AvroSerdes.Serializer<NotificationRequested>(registryClient);
            var context = new SerializationContext(MessageComponentType.Value, Topics.Requested);
            using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5, EnableIdempotence = true, Acks = Acks.All }).Build();
            var now = DateTime.UtcNow;
            for (var i = 0; i < requests; i++)
            {
                var e = BenchWorkload.Event(i, users, now);
                producer.Produce(Topics.Requested, new Message<string, byte[]> { Key = e.userId, Value = await serializer.SerializeAsync(e, context) });
            }

            producer.Flush(ct);
        }

        var rates = new List<double>();
        foreach (var threads in threadCounts)
        {
            var applicationId = $"bench-topology-{threads}";
            var baseline = kafka.Count(BenchWorkload.ChannelTopics);
            cluster.CreateTopics(NotificationTopology.InternalTopics(applicationId));
            cluster.InitializeGroupOffsets(applicationId, [Topics.Requested]);
            var stateDir = Path.Combine(Path.GetTempPath(), "streaming-bench", Guid.NewGuid().ToString("N"));
            try
            {
                using var routed = new RoutedCounter();
                var topology = await NotificationTopologyRunner.StartAsync(new ProcessorOptions
                {
                    ApplicationId = applicationId,
                    BootstrapServers = cluster.BootstrapServers,
                    SchemaRegistry = new() { Url = registry.UrlString },
                    Catalog = NotificationCatalog.Demo(),
                    StateDir = stateDir,
                    NumStreamThreads = threads,
                    AutoOffsetReset = AutoOffsetReset.Error,
                    FetchWaitMaxMs = LocalProfile.FetchWaitMaxMs, // the local profile, as the full stack runs it
                    PollMs = LocalProfile.TopologyPollMs,
                }, loggers, cancellationToken: ct);
                try
                {
                    var (first, last, firstCount) = await BenchKafka.WaitForCountAsync(() => routed.Routed, requests, TimeSpan.FromSeconds(60), $"topology ({threads} threads)", () => $"channel topics hold {kafka.Count(BenchWorkload.ChannelTopics) - baseline}.", ct);
                    // Timed from the first to the last output: the group join and global-table restore before are start-up.
                    rates.Add(BenchRunner.Rate(requests - firstCount, last - first));
                    await kafka.WaitForDrainAsync([new MonitoredGroup { Group = applicationId, Topics = [Topics.Requested] }], TimeSpan.FromSeconds(30), $"topology ({threads} threads)", ct);
                    var outputs = kafka.Count(BenchWorkload.ChannelTopics) - baseline;
                    if (outputs != requests)
                    {
                        throw new BenchFailure($"topology ({threads} threads): {outputs} channel messages for {requests} requests (expected exactly one each).");
                    }
                }
                finally
                {
                    await BenchRunner.DisposeWithinAsync(topology.DisposeAsync, $"topology ({threads} threads)");
                }
            }
            finally
            {
                TryDelete(stateDir);
            }
        }

        return rates;
    }

    /// <summary>One ChannelSender (email, SendGrid fake at zero latency, SQLite delivery log) draining a pre-loaded channel topic.</summary>
    public static async Task<double> SenderAsync(int records, ILoggerFactory loggers, CancellationToken ct)
    {
        var log = loggers.CreateLogger("Streaming.Bench");
        using var cluster = LocalKafkaCluster.Start(logger: log);
        await using var registry = await LocalSchemaRegistry.StartAsync(0, loggers, ct);
        await using var fakes = await FakeProviders.StartAsync(0, null, loggers, ct, journalCapacity: 0);
        using var kafka = new BenchKafka(cluster);
        var workDir = Path.Combine(Path.GetTempPath(), "streaming-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDir);
        try
        {
            using (var registryClient = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.UrlString }))
            {
                var serializer = AvroSerdes.Serializer<ChannelNotification>(registryClient);
                var context = new SerializationContext(MessageComponentType.Value, Topics.Email);
                using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5, EnableIdempotence = true, Acks = Acks.All }).Build();
                var now = DateTime.UtcNow;
                for (var i = 0; i < records; i++)
                {
                    var user = i % 5000;
                    var n = new ChannelNotification
                    {
                        eventId = $"bench-evt-{i:D9}",
                        userId = BenchWorkload.UserId(user),
                        channel = Channels.Email,
                        target = BenchWorkload.Email(user),
                        category = "social",
                        priority = "normal",
                        locale = "en",
                        templateId = "new-comment",
                        subject = "Sam commented",
                        body = "Sam commented on your post: Great post!",
                        data = new Dictionary<string, string>(),
                        sourceService = "bench",
                        requestedAt = now,
                        routedAt = now,
                    };
                    producer.Produce(Topics.Email, new Message<string, byte[]> { Key = n.userId, Value = await serializer.SerializeAsync(n, context) });
                }

                producer.Flush(ct);
            }

            await using var deliveryLog = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(workDir, "delivery-log.db") });
            var options = BenchSettings.Sender(Channels.Email, cluster.BootstrapServers, registry.UrlString);
            await using var sender = new ChannelSender(options, ProvidersOptions.ForBaseUrl(fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson()), deliveryLog, loggers);
            await sender.StartAsync(ct);
            var (first, last, firstCount) = await BenchKafka.WaitForCountAsync(() => sender.Stats.Delivered, records, TimeSpan.FromSeconds(60), "sender (email)", () => $"{Topics.DeliveryStatus} holds {kafka.Count(Topics.DeliveryStatus)}; {sender.Stats}.", ct);
            var rate = BenchRunner.Rate(records - firstCount, last - first);
            await kafka.WaitForDrainAsync([new MonitoredGroup { Group = options.ResolvedGroupId, Topics = [Topics.Email, Topics.Retry(Channels.Email)] }], TimeSpan.FromSeconds(30), "sender (email)", ct);
            var statuses = kafka.Count(Topics.DeliveryStatus);
            if (statuses != records || sender.Stats.Delivered != records)
            {
                throw new BenchFailure($"sender (email): {records} records on {Topics.Email}, {statuses} on {Topics.DeliveryStatus}, {sender.Stats.Delivered} delivered ({sender.Stats}).");
            }

            return rate;
        }
        finally
        {
            TryDelete(workDir);
        }
    }

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
        catch (UnauthorizedAccessException)
        {
            // the same
        }
    }
}
