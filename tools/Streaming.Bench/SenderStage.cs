using Microsoft.Extensions.Logging;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.ProviderFakes;
using Streaming.Senders;

namespace Streaming.Bench;

/// <summary>One ChannelSender (email, SendGrid fake at zero latency, a SQLite or Cassandra delivery log) draining a pre-loaded channel topic.</summary>
internal static class SenderStage
{
    /// <summary>Largest backlog: ~7 500 records per partition stay well inside the 5 MiB a partition keeps.</summary>
    public const int BacklogMax = 30_000;

    /// <summary>Drains <paramref name="records"/> with the delivery log of <paramref name="store"/> (sqlite, or cassandra on a local CQL server).</summary>
    public static async Task<double> RunAsync(int records, string store, ILoggerFactory loggers, CancellationToken ct)
    {
        var stage = $"sender (email, {store} log)";
        using var cluster = LocalKafkaCluster.Start(logger: loggers.CreateLogger("Streaming.Bench"));
        await using var registry = await LocalSchemaRegistry.StartAsync(0, loggers, ct);
        await using var fakes = await FakeProviders.StartAsync(0, null, loggers, ct, journalCapacity: 0);
        using var kafka = new BenchKafka(cluster);
        var workDir = ScratchDirectory.NewPath();
        Directory.CreateDirectory(workDir);
        try
        {
            var now = DateTime.UtcNow;
            await Backlog.WriteAsync(cluster.BootstrapServers, registry.UrlString, Topics.Email, records, i =>
            {
                var n = Notification(i, now);
                return (n.userId, n);
            }, ct);

            await using var deliveryLog = await LocalDeliveryLog.StartAsync(store, workDir, 0, loggers, ct);
            var options = BenchSettings.Sender(Channels.Email, cluster.BootstrapServers, registry.UrlString);
            cluster.CreateTopics(options.ResolvedRetryTopics); // the local tiers are not the contract's defaults, and the mock creates only on produce
            await using var sender = new ChannelSender(options, ProvidersOptions.ForBaseUrl(fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), fakes.FcmServiceAccountJson()), deliveryLog.Log, loggers);
            await sender.StartAsync(ct);
            var (first, last, firstCount) = await BenchProgress.WaitForCountAsync(() => sender.Stats.Delivered, records, TimeSpan.FromSeconds(60), stage, () => $"{Topics.DeliveryStatus} holds {kafka.Count(Topics.DeliveryStatus)}; {sender.Stats}.", ct);
            var rate = BenchProgress.Rate(records - firstCount, last - first);
            await kafka.WaitForDrainAsync([new MonitoredGroup { Group = options.ResolvedGroupId, Topics = [Topics.Email, .. options.ResolvedRetryTopics] }], TimeSpan.FromSeconds(30), stage, ct);
            var statuses = kafka.Count(Topics.DeliveryStatus);
            if (statuses != records || sender.Stats.Delivered != records)
            {
                throw new BenchFailure($"{stage}: {records} records on {Topics.Email}, {statuses} on {Topics.DeliveryStatus}, {sender.Stats.Delivered} delivered ({sender.Stats}).");
            }

            return rate;
        }
        finally
        {
            ScratchDirectory.TryDelete(workDir);
        }
    }

    /// <summary>Email notification <paramref name="i"/> to one of 5 000 bench users, as the topology would have routed it.</summary>
    private static ChannelNotification Notification(int i, DateTime now)
    {
        var user = i % 5000;
        return new ChannelNotification
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
    }
}
