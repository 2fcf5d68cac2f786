using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.Processors;
using Streaming.Producers;
using Streaming.Senders;

namespace Streaming.Bench;

/// <summary>The bench's settings for the platform's parts: what it measures, so the sender stage and the full stack agree.</summary>
internal static class BenchSettings
{
    public static ChannelSenderOptions Sender(string channel, string bootstrapServers, string registryUrl)
    {
        var options = new ChannelSenderOptions
        {
            Channel = channel,
            Consumer = new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                AutoOffsetReset = AutoOffsetReset.Error,
                SessionTimeoutMs = 6000,
                HeartbeatIntervalMs = 1000,
                FetchWaitMaxMs = LocalProfile.FetchWaitMaxMs,
            },
            Producer = new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = LocalProfile.LingerMs }, // as the local stack runs it
            SchemaRegistry = new SchemaRegistryOptions { Url = registryUrl },
        };
        Tune(options);
        return options;
    }

    /// <summary>Provider fakes answer at once: no rate limit, a deeper in-flight window, the rest as the local stack runs it.</summary>
    public static void Tune(ChannelSenderOptions options)
    {
        options.RatePerSecond = 0;

        // Measured (sender stage, email, 30 000 records): with the default 1 000 the consumer pauses and resumes its
        // partitions over and over (librdkafka drops what it had prefetched on pause and fetches it again) and the sender
        // delivers ~1 000/s with the CPU mostly idle; 5 000 gives ~2 400/s. At the time (before the cached Avro serdes and
        // LaneDepth) lanes (32-256), producer linger (1-5 ms) and a no-op delivery log made no difference.
        options.MaxInFlight = 5_000;
    }
}

internal sealed record PipelineResult(double PerSecond, long Requests, TimeSpan Elapsed, double CpuMicrosPerRequest, double AllocatedKbPerRequest, double GcPausePercent, double LatencyP50, double LatencyP99, long LatencySamples, double OfferedPerSecond, double RoutedP50, double RoutedP99, bool TrimmedConsumed);

/// <summary>
/// The whole platform (<see cref="LocalPlatform"/>: topology, four senders, fakes, SQLite delivery log, Avro) fed through the
/// client library's <see cref="NotificationPublisher"/>: first a closed-loop throughput run, then an open-loop latency run.
/// </summary>
internal sealed class BenchPipeline(BenchOptions options, ILoggerFactory loggers)
{
    // Published minus completed stays under this, so no partition of any topic holds more unread data than the
    // embedded cluster keeps (~5 MiB): ~5 000 records per partition of at most a few hundred bytes.
    private const int Window = 20_000;
    private const int MaxUnacknowledged = 10_000;

    public async Task<PipelineResult> RunAsync(CancellationToken ct)
    {
        var users = Math.Min(10_000, Math.Max(100, options.Events / 10));
        var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings
        {
            ApiPort = 0,
            Brokers = options.Brokers,
            LingerMs = options.LingerMs,
            StreamThreads = options.StreamThreads,
            SenderRatePerSecond = 0,
            ProviderJournal = 0,
            WorkDirectory = Path.Combine(Path.GetTempPath(), "streaming-bench", Guid.NewGuid().ToString("N")),
            ConfigureSender = BenchSettings.Tune,
        }, loggers, (s, token) => BenchWorkload.SeedAsync(s.Contacts, users, token), ct);
        try
        {
            using var kafka = new BenchKafka(stack.Cluster);
            using var publisher = new NotificationPublisher(Options.Create(new NotificationPublisherOptions
            {
                SourceService = "bench",
                Producer = new() { BootstrapServers = stack.Cluster.BootstrapServers, LingerMs = options.LingerMs },
                SchemaRegistry = new() { Url = stack.Registry.UrlString },
                Catalog = NotificationCatalog.Demo(),
            }));
            var groups = PlatformGroups.Default(stack.ProcessorApplicationId);
            // Retention the mock lacks: consumed records are deleted every second, as a real cluster's retention would,
            // so no fetch walks a long run's worth of batches (see ConsumedRecordsTrimmer).
            string? cannotTrim = null;
            var trim = options.TrimConsumed && stack.Cluster.CanDeleteRecords(out cannotTrim);
            if (options.TrimConsumed && !trim)
            {
                BenchRunner.Say($"  consumed records are kept (the mock's batch walk grows with the run): {cannotTrim}");
            }

            await using var trimmer = trim ? new ConsumedRecordsTrimmer(stack.Cluster, groups.Select(g => KeyValuePair.Create(g.Group, (IReadOnlyList<string>)g.Topics)), TimeSpan.FromSeconds(1)) : null;

            // Throughput: closed loop on completed outcomes.
            string Where() => string.Join(", ", new[] { Topics.Requested, Topics.DeadLetter, Topics.DeliveryStatus }.Concat(BenchWorkload.ChannelTopics).Concat(Topics.SenderChannels.Select(Topics.Retry))
                .Select(t => $"{t}={kafka.Count(t)}")) + "; senders: " + string.Join("; ", stack.Senders.Select(x => $"{x.Channel} {x.Stats}"));
            // Progress from the senders' own counters (a final outcome is counted once its status is on Kafka), not from
            // watermark queries, which would take CPU from the stack being measured.
            long Finished() => stack.Senders.Sum(x => x.Stats is var st ? st.Delivered + st.Failed + st.DeadLettered + st.Expired : 0);
            // Warm-up, not measured: a long-running stack has its code tiered up, its pools and caches filled.
            if (options.Warmup > 0)
            {
                BenchRunner.Say($"  warm-up: {options.Warmup} requests, not measured");
                await PublishAsync(publisher, kafka, Finished, options.Warmup, users, rate: 0, Where, ct);
            }

            // Process CPU per request: what the stack costs, steadier than a rate on a machine shared with other work.
            // Allocation and GC pauses over the same run: what the managed heap costs each request.
            var (cpuBefore, allocatedBefore, pausedBefore, wall) = (Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), Stopwatch.StartNew());
            var (elapsed, _) = await PublishAsync(publisher, kafka, Finished, options.Events, users, rate: 0, Where, ct);
            var cpuMicros = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / options.Events;
            var allocatedKb = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / options.Events;
            var pausePercent = 100 * (GC.GetTotalPauseDuration() - pausedBefore) / wall.Elapsed;
            var rate = options.Events / elapsed.TotalSeconds;
            await kafka.WaitForDrainAsync(groups, TimeSpan.FromSeconds(60), "pipeline", ct);
            CheckCounts(kafka, stack.Senders, (long)options.Warmup + options.Events, "pipeline");

            // Latency: open loop at the offered rate, every delivered outcome read back.
            var latencyEvents = options.LatencyRate * options.LatencySeconds;
            using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.Registry.UrlString });
            using var reader = new LatencyReader(stack.Cluster.BootstrapServers, EndOffsets(kafka, [Topics.DeliveryStatus, .. BenchWorkload.ChannelTopics]), registry);
            trimmer?.Watch(LatencyReader.GroupId, [Topics.DeliveryStatus, .. BenchWorkload.ChannelTopics]);
            var (_, offered) = await PublishAsync(publisher, kafka, Finished, latencyEvents, users, options.LatencyRate, Where, ct);
            await reader.WaitForAsync(latencyEvents, TimeSpan.FromSeconds(60), ct);
            await kafka.WaitForDrainAsync(groups, TimeSpan.FromSeconds(60), "latency", ct);
            CheckCounts(kafka, stack.Senders, (long)options.Warmup + options.Events + latencyEvents, "latency");
            var (p50, p99, samples, routedP50, routedP99) = reader.Percentiles();
            return new PipelineResult(rate, options.Events, elapsed, cpuMicros, allocatedKb, pausePercent, p50, p99, samples, offered, routedP50, routedP99, trim);
        }
        finally
        {
            var dir = stack.Settings.WorkDirectory;
            await BenchRunner.DisposeWithinAsync(stack.DisposeAsync, "the local stack");
            BenchStages.TryDelete(dir);
        }
    }

    /// <summary>
    /// Publishes <paramref name="count"/> requests; rate 0 = as fast as the closed loop allows. Returns the time from the
    /// first publish to the newest delivery-status record once all are complete, and the offered rate.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, double Offered)> PublishAsync(NotificationPublisher publisher, BenchKafka kafka, Func<long> finished, int count, int users, int rate, Func<string> where, CancellationToken ct)
    {
        var baseline = finished();
        using var unacknowledged = new SemaphoreSlim(MaxUnacknowledged);
        long errors = 0;
        var completed = 0L;
        var startedAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var published = 0L;
        using var stopProgress = new CancellationTokenSource();
        var progress = ReportProgressAsync(kafka, () => Interlocked.Read(ref published), () => finished() - baseline, clock, stopProgress.Token);
        for (var i = 0; i < count; i++)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                if (due > clock.Elapsed + TimeSpan.FromMilliseconds(2))
                {
                    await Task.Delay(due - clock.Elapsed, ct);
                }
            }

            while (i - completed >= Window)
            {
                completed = finished() - baseline;
                if (i - completed >= Window)
                {
                    await Task.Delay(2, ct);
                }
            }

            await unacknowledged.WaitAsync(ct);
            _ = publisher.PublishAsync(BenchWorkload.Request(i, users), ct).ContinueWith(t =>
            {
                if (t.IsFaulted)
                {
                    Interlocked.Increment(ref errors);
                }

                unacknowledged.Release();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Interlocked.Increment(ref published);
        }

        var offered = count / clock.Elapsed.TotalSeconds;
        for (var k = 0; k < MaxUnacknowledged; k++)
        {
            await unacknowledged.WaitAsync(ct);
        }

        if (Interlocked.Read(ref errors) > 0)
        {
            throw new BenchFailure($"pipeline: {errors} publishes to {Topics.Requested} failed.");
        }

        await BenchKafka.WaitForCountAsync(() => finished() - baseline, count, TimeSpan.FromSeconds(60), "pipeline (final outcomes)", () => "Records per topic: " + where(), ct);
        await stopProgress.CancelAsync();
        await progress;

        return (kafka.LastRecordTime(Topics.DeliveryStatus) - startedAt, offered);
    }

    /// <summary>
    /// Every 5 s: requests published, channel messages routed by the topology and final outcomes, with the rate of each
    /// since the last line, so a run shows which hop falls behind (a few watermark queries, negligible next to the load).
    /// </summary>
    private static async Task ReportProgressAsync(BenchKafka kafka, Func<long> published, Func<long> finished, Stopwatch clock, CancellationToken ct)
    {
        var routedBase = kafka.Count(BenchWorkload.ChannelTopics);
        long lastPublished = 0, lastRouted = 0, lastFinished = 0;
        const int periodSeconds = 5;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(periodSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var (p, r, f) = (published(), kafka.Count(BenchWorkload.ChannelTopics) - routedBase, finished());
                BenchRunner.Say($"  {clock.Elapsed.TotalSeconds,5:0}s  published {p,8} ({(p - lastPublished) / periodSeconds,6}/s)  routed {r,8} ({(r - lastRouted) / periodSeconds,6}/s)  final {f,8} ({(f - lastFinished) / periodSeconds,6}/s)");
                (lastPublished, lastRouted, lastFinished) = (p, r, f);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Every request made exactly one channel message and reached exactly one final outcome, delivered; nothing was
    /// dead-lettered. A provider call that timed out (a machine too busy to answer within the attempt timeout) goes
    /// through the retry topic and writes one "retrying" status more: allowed, and said.
    /// </summary>
    private static void CheckCounts(BenchKafka kafka, IReadOnlyList<ChannelSender> senders, long expected, string stage)
    {
        var requested = kafka.Count(Topics.Requested);
        var channel = kafka.Count(BenchWorkload.ChannelTopics);
        var statuses = kafka.Count(Topics.DeliveryStatus);
        var dlq = kafka.Count(Topics.DeadLetter);
        var delivered = senders.Sum(x => x.Stats.Delivered);
        var retried = senders.Sum(x => x.Stats.Retried);
        if (requested != expected || channel != expected || delivered != expected || statuses != expected + retried || dlq != 0)
        {
            throw new BenchFailure($"{stage}: expected {expected} records on {Topics.Requested} and on the channel topics, {expected} delivered, "
                + $"one {Topics.DeliveryStatus} record per outcome and none on {Topics.DeadLetter}; found {requested}, {channel}, {delivered} delivered, "
                + $"{statuses} statuses ({retried} of them 'retrying'), {dlq}.");
        }

        if (retried > 0)
        {
            BenchRunner.Say($"  {stage}: {retried} provider calls timed out and went through the retry topics (the machine was short of CPU); every request was still delivered once");
        }
    }

    private static List<TopicPartitionOffset> EndOffsets(BenchKafka kafka, IEnumerable<string> topics)
        => [.. topics.SelectMany(t => Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(t, p, kafka.High(t, p))))];
}

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
        var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = GroupId,
            EnableAutoCommit = true, // assigned, never joined; commits tell the trimmer what it has read
            AutoCommitIntervalMs = 1000,
            FetchWaitMaxMs = 10,
        }).SetLogHandler((_, _) => { }).Build();
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
                        if (s.outcome == "delivered")
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
