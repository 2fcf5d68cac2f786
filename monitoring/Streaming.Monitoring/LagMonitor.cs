using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Streaming.Monitoring;

/// <summary>
/// Samples committed offsets and high watermarks for configured groups, on any cluster.
/// Uses only calls the embedded cluster supports too: metadata, watermark queries, and
/// ListConsumerGroupOffsets with explicit partitions (listing or describing groups is not used).
/// </summary>
public sealed class LagMonitor : IDisposable
{
    /// <summary>Meter of the lag instruments.</summary>
    public const string MeterName = "Streaming.Monitoring";

    private readonly IAdminClient admin;
    private readonly IConsumer<Ignore, Ignore> watermarks;
    private readonly LagEvaluator evaluator;
    private readonly IReadOnlyList<MonitoredGroup> groups;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Meter meter = new(MeterName);
    private volatile IReadOnlyList<GroupLag> latest = [];

    public LagMonitor(string bootstrapServers, IReadOnlyList<MonitoredGroup> groups, LagMonitorOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        options ??= new LagMonitorOptions();
        this.groups = groups;
        this.logger = logger ?? NullLogger.Instance;
        this.time = time ?? TimeProvider.System;
        evaluator = new LagEvaluator(options.WindowSamples, options.HistorySamples);
        admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "streaming-lag-monitor", // never joins: only used for watermark queries
        }).SetLogHandler((_, _) => { }).Build();

        meter.CreateObservableGauge("streaming.consumer.lag", () => Measure(p => p.LagMessages), "{message}", "Messages between the group's committed offset and the high watermark.");
        meter.CreateObservableGauge("streaming.consumer.lag.seconds", () => Measure(p => p.LagSeconds), "s", "Estimated age of the oldest unconsumed message.");
        meter.CreateObservableGauge("streaming.consumer.group.status", () => latest.Select(g => new Measurement<int>((int)g.Status, new KeyValuePair<string, object?>("group", g.Group))), null, "0 OK, 1 WARN, 2 STALL, 3 STOP, 4 ERR.");
    }

    /// <summary>The groups this monitor watches.</summary>
    public IReadOnlyList<MonitoredGroup> Groups => groups;

    /// <summary>The most recent sample of every group.</summary>
    public IReadOnlyList<GroupLag> Latest => latest;

    /// <summary>Takes one sample of every group and evaluates it.</summary>
    public async Task<IReadOnlyList<GroupLag>> SampleAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var highs = new Dictionary<(string, int), long>();
        var result = new List<GroupLag>();
        foreach (var group in groups)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var partitions = new List<TopicPartition>();
                foreach (var topic in group.Topics)
                {
                    var md = admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
                    partitions.AddRange(md.Topics.Where(t => t.Topic == topic && !t.Error.IsError)
                        .SelectMany(t => t.Partitions.Select(p => new TopicPartition(topic, p.PartitionId))));
                }

                foreach (var tp in partitions.Where(tp => !highs.ContainsKey((tp.Topic, tp.Partition.Value))))
                {
                    var high = watermarks.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High.Value;
                    highs[(tp.Topic, tp.Partition.Value)] = high;
                    evaluator.RecordWatermark(tp.Topic, tp.Partition.Value, high, now);
                }

                var committed = partitions.Count == 0
                    ? []
                    : (await admin.ListConsumerGroupOffsetsAsync(
                        [new ConsumerGroupTopicPartitions(group.Group, partitions)],
                        new ListConsumerGroupOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(10) })).Single().Partitions;

                var lags = committed.Select(c =>
                {
                    var high = highs[(c.Topic, c.Partition.Value)];
                    var offset = c.Offset.Value;
                    // No commit yet on this partition: everything in it is lag (a group starts from the beginning).
                    var lag = offset < 0 ? high : Math.Max(0, high - offset);
                    var seconds = evaluator.LagSeconds(c.Topic, c.Partition.Value, offset < 0 ? 0 : offset, high, now);
                    return new PartitionLag(c.Topic, c.Partition.Value, offset, high, lag, Math.Round(seconds, 1));
                }).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).ToList();

                var (status, reason) = evaluator.Evaluate(group.Group, lags, now);
                result.Add(new GroupLag(group.Group, status, reason, lags.Sum(l => l.LagMessages), lags.Count == 0 ? 0 : lags.Max(l => l.LagSeconds), lags, now));
            }
            catch (KafkaException ex)
            {
                LagLog.SampleFailed(logger, group.Group, ex.Error.Reason);
                result.Add(new GroupLag(group.Group, GroupStatus.Err, ex.Error.Reason, 0, 0, [], now));
            }
        }

        latest = result;
        return result;
    }

    /// <summary>Samples every <paramref name="interval"/> until cancelled, handing each sample to <paramref name="onSample"/>.</summary>
    public async Task RunAsync(TimeSpan interval, Action<IReadOnlyList<GroupLag>>? onSample, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            var sample = await SampleAsync(ct).ConfigureAwait(false);
            onSample?.Invoke(sample);
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    private IEnumerable<Measurement<double>> Measure(Func<PartitionLag, double> value)
        => latest.SelectMany(g => g.Partitions.Select(p => new Measurement<double>(value(p),
            new KeyValuePair<string, object?>("group", g.Group),
            new KeyValuePair<string, object?>("topic", p.Topic),
            new KeyValuePair<string, object?>("partition", p.Partition))));

    public void Dispose()
    {
        meter.Dispose();
        watermarks.Dispose();
        admin.Dispose();
    }
}

internal static partial class LagLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Could not sample consumer group {Group}: {Reason}")]
    public static partial void SampleFailed(ILogger logger, string group, string reason);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Watching consumer lag of {Groups} every {Interval}")]
    public static partial void Watching(ILogger logger, string groups, TimeSpan interval);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Group {Group} is {Status}: lag {Lag} messages, {LagSeconds:0.0} s ({Reason})")]
    public static partial void StatusChanged(ILogger logger, string group, GroupStatus status, long lag, double lagSeconds, string reason);
}
