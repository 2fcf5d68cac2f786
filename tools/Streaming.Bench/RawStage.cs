using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streaming.LocalStack;

namespace Streaming.Bench;

/// <summary>
/// The transport ceiling with plain Confluent.Kafka: an idempotent acks=all producer (linger 5 ms) writes a round of
/// 300-byte records that fits the partitions, one assigned consumer (no group) reads the round back; rounds repeat.
/// </summary>
internal static class RawStage
{
    private const string Topic = "bench.raw";
    private const int RecordBytes = 300;

    // 12 000 records of 300 bytes (plus batch overhead) is ~4 MiB: inside the ~5 MiB the mock keeps per partition.
    private const int PerPartitionRound = 12_000;

    private static int Partitions => LocalKafkaCluster.PartitionsPerTopic;

    public static (double ProducePerS, double ConsumePerS) Run(int records, ILogger log, CancellationToken ct)
    {
        using var cluster = LocalKafkaCluster.Start(topics: [Topic], logger: log);
        var producerConfig = LocalProfile.Producer(cluster.BootstrapServers, lingerMs: 5);
        producerConfig.Acks = Acks.All;
        producerConfig.EnableIdempotence = true;
        using var producer = new ProducerBuilder<Null, byte[]>(producerConfig).Build();
        var consumerConfig = LocalProfile.Consumer(cluster.BootstrapServers); // auto.offset.reset=error: a record the mock dropped is an error, not a skip
        consumerConfig.GroupId = "bench-raw"; // assigned, never joined
        consumerConfig.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(consumerConfig).Build();
        var payload = new byte[RecordBytes];
        Random.Shared.NextBytes(payload);
        var produceTime = TimeSpan.Zero;
        var consumeTime = TimeSpan.Zero;
        long produced = 0, consumed = 0, errors = 0;
        var next = new long[Partitions];
        Action<DeliveryReport<Null, byte[]>> report = d =>
        {
            if (d.Error.IsError)
            {
                Interlocked.Increment(ref errors);
            }
        };
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(Topic, p, 0)));
        while (produced < records)
        {
            var round = (int)Math.Min(records - produced, PerPartitionRound * Partitions);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < round; i++)
            {
                Produce(producer, new TopicPartition(Topic, i % Partitions), payload, report);
            }

            producer.Flush(ct);
            produceTime += clock.Elapsed;
            produced += round;

            clock.Restart();
            var target = consumed + round;
            while (consumed < target)
            {
                var r = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new BenchFailure($"raw: consumer stalled at {consumed} of {produced} records on {Topic}.");
                if (r.Offset.Value != next[r.Partition.Value])
                {
                    throw new BenchFailure($"raw: {Topic}[{r.Partition.Value}] jumped from offset {next[r.Partition.Value]} to {r.Offset.Value}: records were dropped before they were read.");
                }

                next[r.Partition.Value] = r.Offset.Value + 1;
                consumed++;
            }

            consumeTime += clock.Elapsed;
        }

        if (Interlocked.Read(ref errors) > 0)
        {
            throw new BenchFailure($"raw: {errors} produce errors on {Topic}.");
        }

        return (produced / produceTime.TotalSeconds, consumed / consumeTime.TotalSeconds);
    }

    /// <summary>Produces one record, waiting for queue space when librdkafka's local queue is full.</summary>
    private static void Produce(IProducer<Null, byte[]> producer, TopicPartition partition, byte[] payload, Action<DeliveryReport<Null, byte[]>> report)
    {
        while (true)
        {
            try
            {
                producer.Produce(partition, new Message<Null, byte[]> { Value = payload }, report);
                return;
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }
}
