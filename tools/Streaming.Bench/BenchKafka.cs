using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.Producers;

namespace Streaming.Bench;

/// <summary>A stage found records it produced that were never consumed (or counts that differ): the bench fails.</summary>
internal sealed class BenchFailure(string message) : Exception(message);

/// <summary>Watermark counts, drain checks and record timestamps on one cluster, for the bench stages.</summary>
internal sealed class BenchKafka(LocalKafkaCluster cluster) : IDisposable
{
    private readonly IConsumer<Ignore, Ignore> watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = "streaming-bench-watermarks", // never joins: watermark queries and single-record reads only
        EnableAutoCommit = false,
    }).SetLogHandler((_, _) => { }).Build();

    /// <summary>Records ever written to <paramref name="topics"/> (the embedded cluster keeps high watermarks even for batches it dropped).</summary>
    public long Count(params string[] topics) => cluster.RecordCount(topics);

    public long High(string topic, int partition) => watermarks.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(5)).High.Value;

    /// <summary>
    /// Polls an in-process progress count (a component's own counter, not the brokers: watermark queries every few
    /// milliseconds cost the mock cluster and the thread pool a good share of the two cores the stage is measuring) until
    /// it reaches <paramref name="expected"/>; returns when the first and the last unit arrived, and the count at the first.
    /// </summary>
    public static async Task<(TimeSpan First, TimeSpan Last, long FirstCount)> WaitForCountAsync(Func<long> progress, long expected, TimeSpan timeout, string what, Func<string> where, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        var firstCount = 0L;
        var lastProgress = clock.Elapsed;
        var last = 0L;
        while (true)
        {
            var n = progress();
            if (n > 0 && first is null)
            {
                (first, firstCount) = (clock.Elapsed, n);
            }

            if (n >= expected)
            {
                return (first ?? clock.Elapsed, clock.Elapsed, firstCount);
            }

            if (n != last)
            {
                (last, lastProgress) = (n, clock.Elapsed);
            }

            if (clock.Elapsed - lastProgress > timeout)
            {
                throw new BenchFailure($"{what}: {n} of {expected} done, no progress for {timeout.TotalSeconds:0} s. {where()}");
            }

            await Task.Delay(5, ct);
        }
    }

    /// <summary>
    /// Waits until every group has committed up to the high watermark of every partition it reads, or fails naming the
    /// group, topic and partition that still has lag: a record a stage produced was never consumed.
    /// </summary>
    public async Task WaitForDrainAsync(IReadOnlyList<MonitoredGroup> groups, TimeSpan timeout, string stage, CancellationToken ct)
    {
        using var lag = new LagMonitor(cluster.BootstrapServers, groups, new LagMonitorOptions { WindowSamples = 2 });
        var clock = Stopwatch.StartNew();
        IReadOnlyList<GroupLag> sample = [];
        while (clock.Elapsed < timeout)
        {
            sample = await lag.SampleAsync(ct);
            var behind = sample.SelectMany(g => g.Partitions.Where(p => p.Committed < 0 ? p.HighWatermark > 0 : p.Committed < p.HighWatermark)).Any()
                         || sample.Any(g => g.Status == GroupStatus.Err);
            if (!behind)
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        var detail = string.Join("; ", sample.SelectMany(g => g.Partitions.Where(p => p.Committed < p.HighWatermark)
            .Select(p => $"group {g.Group} {p.Topic}[{p.Partition}] committed {p.Committed} < high watermark {p.HighWatermark}"))
            .Concat(sample.Where(g => g.Status == GroupStatus.Err).Select(g => $"group {g.Group}: offsets unreadable ({g.Reason})")));
        throw new BenchFailure($"{stage}: records left unconsumed after {timeout.TotalSeconds:0} s: {detail}");
    }

    /// <summary>Timestamp of the newest record on <paramref name="topic"/> (the producer's create time), reading one record per partition.</summary>
    public DateTime LastRecordTime(string topic)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "streaming-bench-reader",
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var newest = DateTime.MinValue;
        for (var p = 0; p < LocalKafkaCluster.PartitionsPerTopic; p++)
        {
            var tp = new TopicPartition(topic, p);
            var high = watermarks.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High.Value;
            if (high <= 0)
            {
                continue;
            }

            reader.Assign(new TopicPartitionOffset(tp, high - 1));
            var r = reader.Consume(TimeSpan.FromSeconds(10)) ?? throw new BenchFailure($"Could not read the last record of {topic}[{p}].");
            var at = r.Message.Timestamp.UtcDateTime;
            newest = at > newest ? at : newest;
            reader.Unassign();
        }

        return newest;
    }

    public void Dispose() => watermarks.Dispose();
}

/// <summary>
/// The bench population: every user has an email, a phone and one device (ios or android), no preferences; request i
/// names exactly one channel (push, email, sms in turn), so each request gives exactly one channel message and one
/// final DeliveryStatus, which lets every stage check its counts exactly.
/// </summary>
internal static class BenchWorkload
{
    public static string UserId(int i) => $"bench-user-{i:D6}";

    public static string Email(int user) => $"user{user}@example.com";

    public static async Task SeedAsync(ContactInfoPublisher contacts, int users, CancellationToken ct)
    {
        var writes = new List<Task>(1024);
        for (var i = 0; i < users; i++)
        {
            var user = UserId(i);
            writes.Add(contacts.PutUserAsync(user, new UserProfileUpdate
            {
                DisplayName = $"Bench User {i}",
                Email = Email(i),
                Phone = $"+1415555{i % 10000:D4}",
                Locale = "en",
                TimeZone = "UTC",
            }, ct));
            writes.Add(i % 2 == 0
                ? contacts.PutDeviceAsync(user, $"{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}{i:x8}", new DeviceRegistration { Platform = "ios", App = "com.example.bench" }, ct)
                : contacts.PutDeviceAsync(user, $"fcm{i:D6}:APA91bBench{i:X8}", new DeviceRegistration { Platform = "android", App = "com.example.bench" }, ct));
            if (writes.Count >= 1024)
            {
                await Task.WhenAll(writes); // bounded in flight: the mock drops what nobody read once a partition passes 5 MiB
                writes.Clear();
            }
        }

        await Task.WhenAll(writes);
    }

    private static readonly IReadOnlyList<string>[] ChannelRotation = [[Channels.Push], [Channels.Email], [Channels.Sms]];

    public static NotificationRequest Request(int i, int users) => new()
    {
        UserId = UserId((int)((uint)(i * 2654435761u) % (uint)users)),
        Category = "social",
        TemplateId = "new-comment",
        Channels = ChannelRotation[i % ChannelRotation.Length],
        Parameters = new Dictionary<string, string> { ["author"] = "Sam", ["snippet"] = "Great post!" },
    };

    /// <summary>The same request as an event, for stages that bypass the client library (pre-loaded topics).</summary>
    public static NotificationRequested Event(int i, int users, DateTime now)
    {
        var r = Request(i, users);
        return new NotificationRequested
        {
            eventId = $"bench-evt-{i:D9}",
            userId = r.UserId!,
            category = r.Category!,
            priority = "normal",
            channels = [.. r.Channels!],
            templateId = r.TemplateId!,
            templateParameters = new Dictionary<string, string>(r.Parameters!),
            sourceService = "bench",
            createdAt = now,
        };
    }

    public static string[] ChannelTopics => [.. Topics.SenderChannels.Select(Topics.ForChannel)];
}
