using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streaming.LocalStack;
using Xunit;

namespace Streaming.Testing;

/// <summary>
/// One embedded Kafka cluster and one local schema registry per test assembly
/// (<c>[assembly: AssemblyFixture(typeof(LocalStackFixture))]</c>). Tests stay independent by using
/// their own topics (<see cref="NewTopic"/>) and group names.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private LocalKafkaCluster? cluster;
    private LocalSchemaRegistry? registry;

    public string BootstrapServers => cluster!.BootstrapServers;

    public string RegistryUrl => registry!.UrlString;

    public LocalKafkaCluster Cluster => cluster!;

    public async ValueTask InitializeAsync()
    {
        HangWatch.Start();
        cluster = LocalKafkaCluster.Start();
        registry = await LocalSchemaRegistry.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }

        cluster?.Dispose();
    }

    /// <summary>A fresh topic with a unique name (4 partitions, empty).</summary>
    public string NewTopic(string prefix = "test")
    {
        var name = $"{prefix}.{Guid.NewGuid():N}";
        cluster!.CreateTopics([name]);
        return name;
    }

    public ISchemaRegistryClient NewRegistryClient() => new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = RegistryUrl });

    /// <summary>Sum of high watermarks over the topic's partitions: how many records were ever written.</summary>
    public long RecordCount(string topic) => cluster!.RecordCount(topic);

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning (no group: assigned directly, so no
    /// join delay) until <paramref name="expected"/> records arrived or <paramref name="timeout"/> passed.
    /// </summary>
    public List<ConsumeResult<string, byte[]?>> ReadRaw(string topic, int expected, TimeSpan? timeout = null)
    {
        using var consumer = NewReader();
        consumer.Assign(Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic)
            .Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string, byte[]?>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is { IsPartitionEOF: false, Message: not null })
            {
                results.Add(r);
            }
        }

        return results;
    }

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning up to its high watermark as of the call, so a
    /// topic still being written to is read whole up to that moment. A count-based <see cref="ReadRaw"/> can stop early on
    /// newer records of one partition while older ones of another are still unread.
    /// </summary>
    public List<ConsumeResult<string, byte[]?>> ReadRawToEnd(string topic, TimeSpan? timeout = null)
    {
        using var consumer = NewReader();
        var ends = Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic)
            .ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
        var unread = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(unread.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string, byte[]?>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (unread.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{topic}: partitions {string.Join(", ", unread)} not read to their end within {timeout}");
            }

            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not { IsPartitionEOF: false, Message: not null } || r.Offset.Value >= ends[r.Partition.Value])
            {
                continue;
            }

            results.Add(r);
            if (r.Offset.Value + 1 >= ends[r.Partition.Value])
            {
                unread.Remove(r.Partition.Value);
            }
        }

        return results;
    }

    /// <summary>Like <see cref="ReadRaw"/>, deserializing values as Avro through the registry.</summary>
    public List<(ConsumeResult<string, byte[]?> Raw, T? Value)> Read<T>(string topic, int expected, TimeSpan? timeout = null)
        where T : class, ISpecificRecord, new()
        => Decode<T>(topic, ReadRaw(topic, expected, timeout));

    /// <summary>Like <see cref="ReadRawToEnd"/>, deserializing values as Avro through the registry.</summary>
    public List<(ConsumeResult<string, byte[]?> Raw, T? Value)> ReadToEnd<T>(string topic, TimeSpan? timeout = null)
        where T : class, ISpecificRecord, new()
        => Decode<T>(topic, ReadRawToEnd(topic, timeout));

    private List<(ConsumeResult<string, byte[]?> Raw, T? Value)> Decode<T>(string topic, List<ConsumeResult<string, byte[]?>> records)
        where T : class, ISpecificRecord, new()
    {
        using var client = NewRegistryClient();
        var deserializer = AvroSerdes.Deserializer<T>(client);
        return records
            .Select(r => (r, r.Message.Value is null ? null : deserializer.Deserialize(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, topic))))
            .ToList();
    }

    /// <summary>A reader of whole topics: its own group, never joined (partitions are assigned), no commits.</summary>
    private IConsumer<string, byte[]?> NewReader() => new ConsumerBuilder<string, byte[]?>(new ConsumerConfig
    {
        BootstrapServers = BootstrapServers,
        GroupId = "reader-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
    }).Build();
}
