using System.Diagnostics;
using Confluent.Kafka;
using Streaming.LocalStack;
using Streaming.Monitoring;

namespace Streaming.Bench;

/// <summary>Watermark counts, drain checks and record timestamps on one cluster, for the bench stages.</summary>
internal sealed class BenchKafka(LocalKafkaCluster cluster) : IDisposable
{
    // Never joins: watermark queries only.
    private readonly IConsumer<Ignore, Ignore> watermarks = Reader(cluster, "streaming-bench-watermarks");

    /// <summary>Records ever written to <paramref name="topics"/> (the embedded cluster keeps high watermarks even for batches it dropped).</summary>
    public long Count(params string[] topics) => cluster.RecordCount(topics);

    public long High(string topic, int partition) => watermarks.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(5)).High.Value;

    /// <summary>The high watermark of every partition of <paramref name="topics"/>: where a reader of what comes next starts.</summary>
    public List<TopicPartitionOffset> EndOffsets(IEnumerable<string> topics)
        => [.. topics.SelectMany(t => Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(t, p, High(t, p))))];

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
        using var reader = Reader(cluster, "streaming-bench-reader");
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

    /// <summary>A consumer that is assigned partitions and never joins or commits for <paramref name="groupId"/>.</summary>
    private static IConsumer<Ignore, Ignore> Reader(LocalKafkaCluster cluster, string groupId)
    {
        var config = LocalProfile.Consumer(cluster.BootstrapServers);
        config.GroupId = groupId;
        config.EnableAutoCommit = false;
        return new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).Build();
    }
}
