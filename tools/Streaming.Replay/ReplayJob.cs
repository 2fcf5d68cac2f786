using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace Streaming.Replay;

/// <summary>
/// Reads a bounded slice of a topic (no consumer group: partitions are assigned directly, so a replay
/// never disturbs the platform's offsets) and exports or re-publishes the records that match.
/// </summary>
public sealed class ReplayJob(ReplayOptions options)
{
    public async Task<ReplayResult> RunAsync(IProgress<ReplayProgress>? progress = null, CancellationToken ct = default)
    {
        if (!options.DryRun && !options.Republish && options.Output is null)
        {
            throw new ArgumentException("Choose an output file (or '-'), --republish, or --dry-run.");
        }

        using var registry = options.RegistryUrl is null ? null : new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = options.RegistryUrl });
        var decoder = new RecordDecoder(registry, options.Topic);
        var selection = new RecordSelection(options);
        var routing = new ReplayRouting(options);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "streaming-replay-" + Guid.NewGuid().ToString("N"), // never joined or committed: partitions are assigned
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();

        var ranges = OffsetRanges.Resolve(consumer, options);
        var total = ranges.Sum(r => Math.Max(0, r.End - r.Start));
        var byOutcome = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long read = 0, matched = 0, written = 0, republished = 0;
        var active = ranges.Where(r => r.End > r.Start).ToDictionary(r => r.Partition);
        await using var exporter = ReplayExporter.Open(options); // created even when nothing matches: an empty export is an answer
        if (active.Count == 0)
        {
            return new ReplayResult(0, 0, 0, 0, byOutcome, 0);
        }

        using var republisher = options.Republish && !options.DryRun ? new Republisher(options.BootstrapServers, options.Force) : null;
        consumer.Assign(active.Values.Select(r => new TopicPartitionOffset(options.Topic, r.Partition, r.Start)));
        while (active.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null || !active.TryGetValue(result.Partition.Value, out var range))
            {
                continue;
            }

            if (result.IsPartitionEOF || result.Offset.Value >= range.End)
            {
                active.Remove(range.Partition);
                continue;
            }

            read++;
            var value = decoder.Decode(result.Message.Value);
            if (selection.Selects(result, value))
            {
                matched++;
                var outcome = RecordSelection.OutcomeOf(result, value);
                byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
                if (!options.DryRun)
                {
                    if (exporter is not null)
                    {
                        await exporter.WriteAsync(result, value);
                        written++;
                    }

                    if (republisher is not null)
                    {
                        republisher.Produce(routing.Destination(result), result);
                        republished++;
                    }
                }
            }

            ReportEvery(progress, read, total);
            if (result.Offset.Value + 1 >= range.End)
            {
                active.Remove(range.Partition);
            }
        }

        progress?.Report(new ReplayProgress(read, total));
        republisher?.Complete();
        return new ReplayResult(read, matched, written, republished, byOutcome, decoder.Undecodable);
    }

    private static void ReportEvery(IProgress<ReplayProgress>? progress, long read, long total)
    {
        if (progress is not null && read % 500 == 0)
        {
            progress.Report(new ReplayProgress(read, total));
        }
    }
}
