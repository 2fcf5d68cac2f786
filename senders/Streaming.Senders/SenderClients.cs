using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Streaming.Contracts;

namespace Streaming.Senders;

/// <summary>
/// The Kafka clients and Avro serdes of one sender, configured for its guarantees: an idempotent producer for the
/// status, retry and DLQ records, and a consumer whose offsets are stored by hand once an outcome is durable.
/// </summary>
internal sealed class SenderClients
{
    private SenderClients(ISchemaRegistryClient registry, IProducer<string?, byte[]?> producer, IConsumer<string?, byte[]?> consumer)
    {
        Registry = registry;
        StatusSerializer = AvroSerdes.Serializer<DeliveryStatus>(registry);
        // Async: the first records of every lane would otherwise block pool threads on the same registry lookup
        // (sync-over-async) and starve the thread pool.
        Deserializer = AvroSerdes.Deserializer<ChannelNotification>(registry);
        Producer = producer;
        Consumer = consumer;
    }

    public ISchemaRegistryClient Registry { get; }

    public IAsyncSerializer<DeliveryStatus> StatusSerializer { get; }

    public IAsyncDeserializer<ChannelNotification> Deserializer { get; }

    public IProducer<string?, byte[]?> Producer { get; }

    public IConsumer<string?, byte[]?> Consumer { get; }

    /// <summary>Builds the clients; the consumer reports its rebalances to <paramref name="partitions"/>.</summary>
    public static SenderClients Create(ChannelSenderOptions options, ILogger logger, PartitionTracker partitions)
    {
        var registry = options.SchemaRegistry.CreateClient();
        var producer = new ProducerBuilder<string?, byte[]?>(ProducerConfig(options))
            .SetLogHandler((_, m) => SenderLog.Librdkafka(logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) => SenderLog.ClientError(logger, options.Channel, "producer", e.Code, e.Reason))
            .Build();
        var consumerConfig = ConsumerConfig(options);
        var resetIsError = consumerConfig.AutoOffsetReset == AutoOffsetReset.Error;
        var consumer = new ConsumerBuilder<string?, byte[]?>(consumerConfig)
            .SetLogHandler((_, m) => SenderLog.Librdkafka(logger, m.Facility, m.Message))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal || e.Code == ErrorCode.Local_AutoOffsetReset)
                {
                    // Fatal, or records were lost before this group read them (auto.offset.reset=error): needs a human.
                    SenderLog.ConsumeError(logger, options.Channel, e.Code, e.Reason);
                }
                else
                {
                    SenderLog.ClientError(logger, options.Channel, "consumer", e.Code, e.Reason);
                }
            })
            .SetPartitionsAssignedHandler((c, tps) => partitions.OnAssigned(c, tps, resetIsError))
            .SetPartitionsRevokedHandler((c, tpos) => partitions.OnRevoked(c, tpos.Select(t => t.TopicPartition).ToList(), lost: false))
            .SetPartitionsLostHandler((c, tpos) => partitions.OnRevoked(c, tpos.Select(t => t.TopicPartition).ToList(), lost: true))
            .Build();
        return new SenderClients(registry, producer, consumer);
    }

    public static ProducerConfig ProducerConfig(ChannelSenderOptions options)
    {
        var config = new ProducerConfig(options.Producer.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            // Retry/DLQ/status records must not be lost or doubled by producer retries.
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        config.LingerMs ??= 5;
        // Only the acknowledgement matters: do not copy key, value and headers back into managed memory per record.
        config.DeliveryReportFields ??= "none";
        return config;
    }

    /// <summary>At-least-once: offsets are stored by hand once the outcome is durable; librdkafka auto-commits what is stored.</summary>
    public static ConsumerConfig ConsumerConfig(ChannelSenderOptions options) => StoredOffsets.Config(options.Consumer, options.ResolvedGroupId);

    public Task ProduceAsync(string topic, string? key, byte[]? value, Headers? headers)
        => Producer.ProduceAsync(topic, new Message<string?, byte[]?> { Key = key, Value = value, Headers = headers });
}
