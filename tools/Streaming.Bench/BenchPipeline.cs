using System.Diagnostics;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.Producers;
using Streaming.Senders;

namespace Streaming.Bench;

/// <summary>
/// The whole platform (<see cref="LocalPlatform"/>: topology, four senders, fakes, SQLite delivery log, Avro) fed through the
/// client library's <see cref="NotificationPublisher"/>: first a closed-loop throughput run, then an open-loop latency run.
/// </summary>
internal sealed class BenchPipeline(BenchOptions options, ILoggerFactory loggers)
{
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
            WorkDirectory = ScratchDirectory.NewPath(),
            ConfigureSender = BenchSettings.Tune,
        }, loggers, (s, token) => BenchWorkload.SeedAsync(s.Contacts, users, token), ct);
        try
        {
            using var kafka = new BenchKafka(stack.Cluster);
            using var publisher = new NotificationPublisher(Options.Create(new NotificationPublisherOptions
            {
                SourceService = "bench",
                Producer = LocalProfile.Producer(stack.Cluster.BootstrapServers, options.LingerMs),
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
                BenchReport.Say($"  consumed records are kept (the mock's batch walk grows with the run): {cannotTrim}");
            }

            await using var trimmer = trim ? new ConsumedRecordsTrimmer(stack.Cluster, groups.Select(g => KeyValuePair.Create(g.Group, (IReadOnlyList<string>)g.Topics)), TimeSpan.FromSeconds(1)) : null;

            string Where() => string.Join(", ", new[] { Topics.Requested, Topics.DeadLetter, Topics.DeliveryStatus }.Concat(BenchWorkload.ChannelTopics).Concat(Topics.SenderChannels.Select(Topics.Retry))
                .Select(t => $"{t}={kafka.Count(t)}")) + "; senders: " + string.Join("; ", stack.Senders.Select(x => $"{x.Channel} {x.Stats}"));
            // Progress from the senders' own counters (a final outcome is counted once its status is on Kafka), not from
            // watermark queries, which would take CPU from the stack being measured.
            long Finished() => stack.Senders.Sum(x => x.Stats is var st ? st.Delivered + st.Failed + st.DeadLettered + st.Expired : 0);
            var load = new RequestLoad(publisher, kafka, Finished, users, Where);

            // Warm-up, not measured: a long-running stack has its code tiered up, its pools and caches filled.
            if (options.Warmup > 0)
            {
                BenchReport.Say($"  warm-up: {options.Warmup} requests, not measured");
                await load.RunAsync(options.Warmup, rate: 0, ct);
            }

            // Throughput: closed loop on completed outcomes. Process CPU per request is what the stack costs, steadier
            // than a rate on a machine shared with other work; allocation and GC pauses are what the managed heap costs.
            var (cpuBefore, allocatedBefore, pausedBefore, wall) = (Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), Stopwatch.StartNew());
            var (elapsed, _) = await load.RunAsync(options.Events, rate: 0, ct);
            var cpuMicros = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / options.Events;
            var allocatedKb = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / options.Events;
            var pausePercent = 100 * (GC.GetTotalPauseDuration() - pausedBefore) / wall.Elapsed;
            var rate = options.Events / elapsed.TotalSeconds;
            await kafka.WaitForDrainAsync(groups, TimeSpan.FromSeconds(60), "pipeline", ct);
            CheckCounts(kafka, stack.Senders, (long)options.Warmup + options.Events, "pipeline");

            // Latency: open loop at the offered rate, every delivered outcome read back.
            var latencyEvents = options.LatencyRate * options.LatencySeconds;
            using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.Registry.UrlString });
            using var reader = new LatencyReader(stack.Cluster.BootstrapServers, kafka.EndOffsets([Topics.DeliveryStatus, .. BenchWorkload.ChannelTopics]), registry);
            trimmer?.Watch(LatencyReader.GroupId, [Topics.DeliveryStatus, .. BenchWorkload.ChannelTopics]);
            var (_, offered) = await load.RunAsync(latencyEvents, options.LatencyRate, ct);
            await reader.WaitForAsync(latencyEvents, TimeSpan.FromSeconds(60), ct);
            await kafka.WaitForDrainAsync(groups, TimeSpan.FromSeconds(60), "latency", ct);
            CheckCounts(kafka, stack.Senders, (long)options.Warmup + options.Events + latencyEvents, "latency");
            var (p50, p99, samples, routedP50, routedP99) = reader.Percentiles();
            return new PipelineResult(rate, options.Events, elapsed, cpuMicros, allocatedKb, pausePercent, p50, p99, samples, offered, routedP50, routedP99, trim);
        }
        finally
        {
            var dir = stack.Settings.WorkDirectory;
            await BoundedDispose.WithinAsync(stack.DisposeAsync, "the local stack");
            ScratchDirectory.TryDelete(dir);
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
                + $"{statuses} statuses ({retried} of them '{Outcomes.Retrying}'), {dlq}.");
        }

        if (retried > 0)
        {
            BenchReport.Say($"  {stage}: {retried} provider calls timed out and went through the retry topics (the machine was short of CPU); every request was still delivered once");
        }
    }
}
