using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;

namespace Streaming.LocalStack;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster, which speaks the real Kafka protocol on
/// 127.0.0.1 ports. It lives inside the producer handle that started it, so this object must outlive
/// every client pointed at <see cref="BootstrapServers"/>.
/// </summary>
/// <remarks>
/// Limits of the mock (docs/architecture.md, "The local stack"): no CreateTopics/DescribeConfigs/ListGroups admin
/// calls (never call them: repeated failures have crashed the process natively); topics are created on a
/// producer's metadata request with 4 partitions; no compaction or retention (<see cref="DeleteRecordsBefore"/> stands in for it); each partition keeps only
/// ~5 MiB / 100 000 batches and silently drops older ones; nothing survives <see cref="Dispose"/>.
/// </remarks>
public sealed partial class LocalKafkaCluster : IDisposable
{
    /// <summary>Partitions the mock gives every auto-created topic.</summary>
    public const int PartitionsPerTopic = 4;

    private readonly IProducer<byte[], byte[]> owner;
    private readonly IProducer<byte[], byte[]> topicCreator;
    private readonly IAdminClient metadata;
    private readonly Lazy<IConsumer<Ignore, Ignore>> watermarks;
    private readonly Lazy<(MockClusterControl? Control, string? Why)> control;
    private readonly ILogger logger;

    private LocalKafkaCluster(IProducer<byte[], byte[]> owner, string bootstrapServers, int brokers, ILogger logger)
    {
        this.owner = owner;
        this.logger = logger;
        BootstrapServers = bootstrapServers;
        BrokerCount = brokers;
        // A plain (non-mock) client: its metadata requests ask the brokers to auto-create topics.
        topicCreator = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            AllowAutoCreateTopics = true,
        }).SetLogHandler((_, _) => { }).Build();
        metadata = new DependentAdminClientBuilder(topicCreator.Handle).Build();
        watermarks = new(() => new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "local-cluster-watermarks", // never joins: watermark queries only
        }).SetLogHandler((_, _) => { }).Build());
        control = new(() => (MockClusterControl.TryBind(owner, out var why), why));
    }

    /// <summary>Comma-separated 127.0.0.1 broker addresses; give these to every client.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers and creates <paramref name="topics"/> (default: the platform's contract topics).</summary>
    public static LocalKafkaCluster Start(int brokers = 3, IEnumerable<string>? topics = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        logger ??= NullLogger.Instance;
        var config = new ProducerConfig(new Dictionary<string, string>
        {
            ["test.mock.num.brokers"] = brokers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var owner = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, m) => LocalKafkaLog.Librdkafka(logger, m.Facility, m.Message))
            .Build();
        try
        {
            using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
            var md = admin.GetMetadata(TimeSpan.FromSeconds(10));
            if (md.Brokers.Count < brokers)
            {
                throw new InvalidOperationException($"Mock cluster reported {md.Brokers.Count} of {brokers} brokers.");
            }

            var bootstrap = string.Join(",", md.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
            var cluster = new LocalKafkaCluster(owner, bootstrap, brokers, logger);
            LocalKafkaLog.Started(logger, brokers, bootstrap);
            cluster.CreateTopics(topics ?? Topics.All);
            return cluster;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates topics (with <see cref="PartitionsPerTopic"/> partitions) without writing any record:
    /// the mock auto-creates a topic when a producer's metadata request names it. Waits until every
    /// partition has a leader.
    /// </summary>
    public void CreateTopics(IEnumerable<string> topics, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            while (true)
            {
                var md = metadata.GetMetadata(topic, TimeSpan.FromSeconds(5));
                var t = md.Topics.SingleOrDefault(x => x.Topic == topic);
                if (t is { Error.IsError: false } && t.Partitions.Count > 0 && t.Partitions.All(p => p.Leader >= 0))
                {
                    break;
                }

                if (deadline.Elapsed > limit)
                {
                    throw new TimeoutException($"Topic '{topic}' was not created within {limit}: {t?.Error}");
                }

                Thread.Sleep(20); // polling a metadata condition, bounded by the deadline above
            }
        }
    }

    /// <summary>
    /// Commits offset 0 on every partition of <paramref name="topics"/> for <paramref name="groupId"/> unless the group
    /// already has a commit there. A group configured with auto.offset.reset=error (the local profile, so that a record the
    /// mock dropped fails loudly) would otherwise refuse to start: a brand-new group has no committed offset to resume from.
    /// </summary>
    public void InitializeGroupOffsets(string groupId, IEnumerable<string> topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var partitions = topics.SelectMany(t => Enumerable.Range(0, PartitionCount(t)).Select(p => new TopicPartition(t, p))).ToList();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
        var missing = committed.Where(c => c.Offset.Value < 0).Select(c => new TopicPartitionOffset(c.TopicPartition, 0)).ToList();
        if (missing.Count > 0)
        {
            consumer.Commit(missing); // a simple (unassigned) commit: the group is not joined
        }
    }

    /// <summary>
    /// Records ever written to <paramref name="topics"/>: the sum of high watermarks (the mock has no retention, and keeps
    /// its watermarks even for batches it dropped).
    /// </summary>
    public long RecordCount(params string[] topics)
    {
        long total = 0;
        foreach (var topic in topics)
        {
            for (var p = 0; p < PartitionsPerTopic; p++)
            {
                total += watermarks.Value.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value;
            }
        }

        return total;
    }

    /// <summary>
    /// Whether <see cref="DeleteRecordsBefore"/> works here, and if not, why (it goes through librdkafka's mock API, not
    /// the protocol: the mock does not serve the DeleteRecords request).
    /// </summary>
    public bool CanDeleteRecords(out string? why)
    {
        why = control.Value.Why;
        return control.Value.Control is not null;
    }

    /// <summary>
    /// Deletes the records of a partition before <paramref name="offset"/>, as Kafka's DeleteRecords or retention would:
    /// the log start offset moves there, high watermarks stay.
    /// </summary>
    public void DeleteRecordsBefore(string topic, int partition, long offset)
    {
        var c = control.Value.Control ?? throw new NotSupportedException($"Deleting records on the embedded cluster: {control.Value.Why}.");
        var error = c.DeleteRecords(topic, partition, offset);
        if (error != ErrorCode.NoError)
        {
            throw new KafkaException(error);
        }
    }

    /// <summary>Partition count of a topic as the brokers report it (0 when it does not exist).</summary>
    public int PartitionCount(string topic)
    {
        using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
        var md = admin.GetMetadata(TimeSpan.FromSeconds(5));
        return md.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions.Count ?? 0;
    }

    public void Dispose()
    {
        if (watermarks.IsValueCreated)
        {
            watermarks.Value.Dispose();
        }

        metadata.Dispose();
        topicCreator.Dispose();
        owner.Dispose();
        LocalKafkaLog.Stopped(logger, BootstrapServers);
    }
}

internal static partial class LocalKafkaLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Embedded Kafka (librdkafka mock, {Brokers} brokers) listening on {BootstrapServers}")]
    public static partial void Started(ILogger logger, int brokers, string bootstrapServers);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Embedded Kafka on {BootstrapServers} stopped; its topics are gone")]
    public static partial void Stopped(ILogger logger, string bootstrapServers);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string facility, string message);
}
