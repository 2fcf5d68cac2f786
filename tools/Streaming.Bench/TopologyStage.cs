using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.Processors;
using Streaming.Producers;

namespace Streaming.Bench;

/// <summary>
/// The topology alone: contact data seeded, notifications.requested pre-loaded, then the topology started with each
/// stream-thread count in turn (a fresh application ID each, so each run reads the whole backlog); timed from its first
/// to its last channel message, then its group must have committed everything.
/// </summary>
internal static class TopologyStage
{
    /// <summary>Largest backlog: ~10 000 records per partition stay well inside the 5 MiB a partition keeps.</summary>
    public const int BacklogMax = 40_000;

    public static async Task<IReadOnlyList<double>> RunAsync(int requests, int users, int[] threadCounts, ILoggerFactory loggers, CancellationToken ct)
    {
        using var cluster = LocalKafkaCluster.Start(logger: loggers.CreateLogger("Streaming.Bench"));
        await using var registry = await LocalSchemaRegistry.StartAsync(0, loggers, ct);
        using var kafka = new BenchKafka(cluster);
        using (var contacts = new ContactInfoPublisher(Options.Create(new NotificationPublisherOptions
        {
            SourceService = "bench",
            Producer = LocalProfile.Producer(cluster.BootstrapServers),
            SchemaRegistry = new() { Url = registry.UrlString },
        })))
        {
            await BenchWorkload.SeedAsync(contacts, users, ct);
        }

        var now = DateTime.UtcNow;
        await Backlog.WriteAsync(cluster.BootstrapServers, registry.UrlString, Topics.Requested, requests, i =>
        {
            var e = BenchWorkload.Event(i, users, now);
            return (e.userId, e);
        }, ct);

        var rates = new List<double>();
        foreach (var threads in threadCounts)
        {
            rates.Add(await RunOnceAsync(cluster, kafka, registry.UrlString, requests, threads, loggers, ct));
        }

        return rates;
    }

    private static async Task<double> RunOnceAsync(LocalKafkaCluster cluster, BenchKafka kafka, string registryUrl, int requests, int threads, ILoggerFactory loggers, CancellationToken ct)
    {
        var applicationId = $"bench-topology-{threads}";
        var stage = $"topology ({threads} threads)";
        var baseline = kafka.Count(BenchWorkload.ChannelTopics);
        cluster.CreateTopics(NotificationTopology.InternalTopics(applicationId));
        cluster.InitializeGroupOffsets(applicationId, [Topics.Requested]);
        var stateDir = ScratchDirectory.NewPath();
        try
        {
            using var routed = new RoutedCounter();
            var options = LocalProfile.Topology(cluster.BootstrapServers, registryUrl, stateDir, applicationId);
            options.NumStreamThreads = threads;
            var topology = await NotificationTopologyRunner.StartAsync(options, loggers, cancellationToken: ct);
            try
            {
                var (first, last, firstCount) = await BenchProgress.WaitForCountAsync(() => routed.Routed, requests, TimeSpan.FromSeconds(60), stage, () => $"channel topics hold {kafka.Count(BenchWorkload.ChannelTopics) - baseline}.", ct);
                await kafka.WaitForDrainAsync([new MonitoredGroup { Group = applicationId, Topics = [Topics.Requested] }], TimeSpan.FromSeconds(30), stage, ct);
                var outputs = kafka.Count(BenchWorkload.ChannelTopics) - baseline;
                if (outputs != requests)
                {
                    throw new BenchFailure($"{stage}: {outputs} channel messages for {requests} requests (expected exactly one each).");
                }

                // Timed from the first to the last output: the group join and global-table restore before are start-up.
                return BenchProgress.Rate(requests - firstCount, last - first);
            }
            finally
            {
                await BoundedDispose.WithinAsync(topology.DisposeAsync, stage);
            }
        }
        finally
        {
            ScratchDirectory.TryDelete(stateDir);
        }
    }
}
