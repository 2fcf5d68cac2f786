using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Streaming.LocalStack;

/// <summary>
/// Retention for the embedded cluster: every period, deletes the records that every watched group of a topic has
/// committed past, except the last of them (like a real broker's active segment, it keeps a consumed partition from
/// looking empty to a tool that reads its newest record). A partition one of whose watched groups has not committed yet
/// is left alone, and so is every topic no watched group reads (the dead-letter and status topics, unless a group that
/// reads them is watched).
/// </summary>
/// <remarks>
/// The mock finds the batch a fetch asks for by walking the partition's batches from the oldest, so a long run pays for
/// every batch it keeps, on every fetch; a real broker looks offsets up in an index. Trimming what was consumed keeps
/// the walk short, like the retention a real cluster has, and lowers the memory the mock holds.
/// </remarks>
public sealed class ConsumedRecordsTrimmer : IAsyncDisposable
{
    private readonly LocalKafkaCluster cluster;
    private readonly IAdminClient admin;
    private readonly ILogger logger;
    private readonly Dictionary<string, HashSet<string>> topicsByGroup = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, long> startOffsets = [];
    private readonly SemaphoreSlim onePass = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long deleted;

    /// <summary>Starts trimming every <paramref name="period"/> for <paramref name="groups"/> (group → topics it reads).</summary>
    public ConsumedRecordsTrimmer(LocalKafkaCluster cluster, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> groups, TimeSpan period, ILogger? logger = null)
    {
        if (!cluster.CanDeleteRecords(out var why))
        {
            throw new NotSupportedException($"The embedded cluster cannot delete records: {why}.");
        }

        this.cluster = cluster;
        this.logger = logger ?? NullLogger.Instance;
        admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        foreach (var (group, topics) in groups)
        {
            Watch(group, topics);
        }

        loop = RunAsync(period, stop.Token);
    }

    /// <summary>Records below the partitions' start offsets that this trimmer set (including any the mock had dropped itself).</summary>
    public long RecordsDeleted => Interlocked.Read(ref deleted);

    /// <summary>Adds a group (or topics of a group): from the next pass on, it holds back the topics it reads.</summary>
    public void Watch(string group, IEnumerable<string> topics)
    {
        lock (topicsByGroup)
        {
            if (!topicsByGroup.TryGetValue(group, out var set))
            {
                topicsByGroup[group] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(topics);
        }
    }

    /// <summary>One pass: reads every watched group's committed offsets and deletes what is before the lowest of each partition, but its last record.</summary>
    public async Task TrimAsync(CancellationToken ct = default)
    {
        List<ConsumerGroupTopicPartitions> requests;
        lock (topicsByGroup)
        {
            requests = [.. topicsByGroup.Select(g => new ConsumerGroupTopicPartitions(g.Key, [.. g.Value.SelectMany(t =>
                Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartition(t, p)))]))];
        }

        // Lowest commit per partition over the groups that read it; a group without a commit there holds it at 0.
        var lowest = new Dictionary<TopicPartition, long>();
        foreach (var request in requests)
        {
            ct.ThrowIfCancellationRequested();
            var result = await admin.ListConsumerGroupOffsetsAsync([request], new ListConsumerGroupOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).ConfigureAwait(false);
            foreach (var committed in result.Single().Partitions)
            {
                var keepFrom = Math.Max(0, committed.Offset.Value - 1); // the last consumed record stays
                lowest[committed.TopicPartition] = lowest.TryGetValue(committed.TopicPartition, out var o) ? Math.Min(o, keepFrom) : keepFrom;
            }
        }

        await onePass.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var (tp, offset) in lowest)
            {
                var start = startOffsets.GetValueOrDefault(tp);
                if (offset <= start)
                {
                    continue;
                }

                // The mock sets the start offset to what it is given, even below the batches it dropped itself at its
                // size cap. Healthy runs never ask for that: a watched group committed below the mock's own start has
                // lost records already, and fails on its next fetch either way (auto.offset.reset=error locally).
                cluster.DeleteRecordsBefore(tp.Topic, tp.Partition.Value, offset);
                startOffsets[tp] = offset;
                Interlocked.Add(ref deleted, offset - start);
            }
        }
        finally
        {
            onePass.Release();
        }
    }

    private async Task RunAsync(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await TrimAsync(ct).ConfigureAwait(false);
                }
                catch (KafkaException ex)
                {
                    TrimLog.PassFailed(logger, ex.Error.Reason); // offsets unreadable for a moment: the next pass catches up
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        admin.Dispose();
        stop.Dispose();
        onePass.Dispose();
    }
}

internal static partial class TrimLog
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Trimming consumed records on the embedded cluster skipped a pass: {Reason}")]
    public static partial void PassFailed(ILogger logger, string reason);
}
