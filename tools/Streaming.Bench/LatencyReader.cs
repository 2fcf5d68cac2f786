using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streaming.LocalStack;

namespace Streaming.Bench;

/// <summary>
/// Reads the channel topics and delivery statuses from given offsets: createdAt → delivered of every delivered status,
/// and createdAt → routedAt of every channel message (the hop through the API client and the topology).
/// </summary>
internal sealed class LatencyReader : IDisposable
{
    private readonly List<double> latencies = [];
    private readonly List<double> routing = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long seen;

    public const string GroupId = "streaming-bench-latency";

    public LatencyReader(string bootstrapServers, IEnumerable<TopicPartitionOffset> from, ISchemaRegistryClient registry)
    {
        var statuses = AvroSerdes.Deserializer<DeliveryStatus>(registry);
        var channels = AvroSerdes.Deserializer<ChannelNotification>(registry);
        var config = LocalProfile.Consumer(bootstrapServers);
        config.GroupId = GroupId;
        config.EnableAutoCommit = true; // assigned, never joined; commits tell the trimmer what it has read
        config.AutoCommitIntervalMs = 1000;
        var consumer = new ConsumerBuilder<Ignore, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Commit(from); // from the start, so the topics' older records can go
        consumer.Assign(from);
        loop = Task.Factory.StartNew(() =>
        {
            using (consumer)
            {
                while (!stop.IsCancellationRequested)
                {
                    var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (r?.Message?.Value is not { } bytes)
                    {
                        continue;
                    }

                    var context = new SerializationContext(MessageComponentType.Value, r.Topic);
                    if (r.Topic == Topics.DeliveryStatus)
                    {
                        var s = statuses.Deserialize(bytes, false, context);
                        if (s.outcome == Outcomes.Delivered)
                        {
                            lock (latencies)
                            {
                                latencies.Add((s.occurredAt - s.requestedAt).TotalMilliseconds);
                            }
                        }

                        Interlocked.Increment(ref seen);
                    }
                    else
                    {
                        var n = channels.Deserialize(bytes, false, context);
                        lock (latencies)
                        {
                            routing.Add((n.routedAt - n.requestedAt).TotalMilliseconds);
                        }
                    }
                }

                consumer.Close();
            }
        }, TaskCreationOptions.LongRunning);
    }

    public async Task WaitForAsync(long count, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (Interlocked.Read(ref seen) < count)
        {
            if (clock.Elapsed > timeout + TimeSpan.FromSeconds(count / 1000.0))
            {
                throw new BenchFailure($"latency: read {seen} of {count} delivery statuses from {Topics.DeliveryStatus}.");
            }

            await Task.Delay(20, ct);
        }
    }

    /// <summary>p50/p99 of createdAt → delivered, and p50/p99 of createdAt → routed by the topology.</summary>
    public (double P50, double P99, long Samples, double RoutedP50, double RoutedP99) Percentiles()
    {
        double[] total, routed;
        lock (latencies)
        {
            (total, routed) = ([.. latencies], [.. routing]);
        }

        return (At(total, 0.50), At(total, 0.99), total.Length, At(routed, 0.50), At(routed, 0.99));
    }

    private static double At(double[] values, double q)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        return Math.Round(values[Math.Min(values.Length - 1, Math.Max(0, (int)Math.Ceiling(q * values.Length) - 1))], 1);
    }

    public void Dispose()
    {
        stop.Cancel();
        loop.Wait(TimeSpan.FromSeconds(10));
        stop.Dispose();
    }
}
