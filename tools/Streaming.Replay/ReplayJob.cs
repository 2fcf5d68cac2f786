using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streaming.Contracts;

namespace Streaming.Replay;

/// <summary>
/// Reads a bounded slice of a topic (no consumer group: partitions are assigned directly, so a replay
/// never disturbs the platform's offsets) and exports or re-publishes the records that match.
/// </summary>
public sealed class ReplayJob(ReplayOptions options)
{
    private static readonly HashSet<string> DroppedOnRepublish = new(StringComparer.Ordinal)
    {
        HeaderNames.DlqReason, HeaderNames.DlqError, HeaderNames.DlqStage, HeaderNames.OriginalTopic,
        HeaderNames.OriginalPartition, HeaderNames.OriginalOffset, HeaderNames.Attempt, HeaderNames.NotBefore,
        HeaderNames.ReplayedFrom, HeaderNames.ReplayForce,
    };

    public async Task<ReplayResult> RunAsync(IProgress<ReplayProgress>? progress = null, CancellationToken ct = default)
    {
        if (!options.DryRun && !options.Republish && options.Output is null)
        {
            throw new ArgumentException("Choose an output file (or '-'), --republish, or --dry-run.");
        }

        using var registry = options.RegistryUrl is null ? null : new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = options.RegistryUrl });
        var decoder = registry is null ? null : new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = "streaming-replay-" + Guid.NewGuid().ToString("N"), // never joined or committed: partitions are assigned
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();

        var ranges = ResolveRanges(consumer);
        var total = ranges.Sum(r => Math.Max(0, r.End - r.Start));
        var byOutcome = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long read = 0, matched = 0, written = 0, republished = 0, undecodable = 0;
        var active = ranges.Where(r => r.End > r.Start).ToDictionary(r => r.Partition);
        await using var writer = OpenOutput(); // created even when nothing matches: an empty export is an answer
        if (active.Count == 0)
        {
            return new ReplayResult(0, 0, 0, 0, byOutcome, 0);
        }

        using var producer = options.Republish && !options.DryRun
            ? new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = options.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 }).Build()
            : null;
        string[]? csvColumns = null;
        var produceErrors = new List<string>();

        consumer.Assign(active.Values.Select(r => new TopicPartitionOffset(options.Topic, r.Partition, r.Start)));
        while (active.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null)
            {
                continue;
            }

            var partition = result.Partition.Value;
            if (!active.TryGetValue(partition, out var range))
            {
                continue;
            }

            if (result.IsPartitionEOF || result.Offset.Value >= range.End)
            {
                active.Remove(partition);
                continue;
            }

            read++;
            var value = Decode(decoder, result, ref undecodable);
            if (!InTimeWindow(result) || !Matches(value, result))
            {
                ReportEvery(progress, read, total);
                if (result.Offset.Value + 1 >= range.End)
                {
                    active.Remove(partition);
                }

                continue;
            }

            matched++;
            var outcome = OutcomeOf(value, result);
            byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
            if (!options.DryRun)
            {
                if (writer is not null)
                {
                    csvColumns = await WriteAsync(writer, result, value, csvColumns);
                    written++;
                }

                if (producer is not null)
                {
                    var destination = Destination(result);
                    producer.Produce(destination, RepublishMessage(result), report =>
                    {
                        if (report.Error.IsError)
                        {
                            lock (produceErrors)
                            {
                                produceErrors.Add($"{report.TopicPartitionOffset}: {report.Error.Reason}");
                            }
                        }
                    });
                    republished++;
                }
            }

            ReportEvery(progress, read, total);
            if (result.Offset.Value + 1 >= range.End)
            {
                active.Remove(partition);
            }
        }

        progress?.Report(new ReplayProgress(read, total));
        if (producer is not null && producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
            throw new InvalidOperationException("Some re-published records were not acknowledged within 30 s.");
        }

        if (produceErrors.Count > 0)
        {
            throw new InvalidOperationException($"{produceErrors.Count} re-published records failed, e.g. {produceErrors[0]}");
        }

        return new ReplayResult(read, matched, written, republished, byOutcome, undecodable);
    }

    private static void ReportEvery(IProgress<ReplayProgress>? progress, long read, long total)
    {
        if (progress is not null && read % 500 == 0)
        {
            progress.Report(new ReplayProgress(read, total));
        }
    }

    private sealed record PartitionRange(int Partition, long Start, long End);

    private List<PartitionRange> ResolveRanges(IConsumer<byte[]?, byte[]?> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var md = admin.GetMetadata(options.Topic, TimeSpan.FromSeconds(10)).Topics.SingleOrDefault(t => t.Topic == options.Topic);
        if (md is null || md.Error.IsError || md.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"Topic '{options.Topic}' not found ({md?.Error.Reason ?? "no metadata"}).");
        }

        var partitions = md.Partitions.Select(p => p.PartitionId).Where(p => options.Partitions.Count == 0 || options.Partitions.Contains(p)).Order().ToList();
        var ranges = new List<PartitionRange>();
        foreach (var p in partitions)
        {
            var tp = new TopicPartition(options.Topic, p);
            var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            var start = options.FromOffsets.TryGetValue(p, out var fo) ? fo : options.From is { } from ? OffsetAt(consumer, tp, from, marks) : marks.Low.Value;
            var end = options.ToOffsets.TryGetValue(p, out var to) ? to : options.To is { } until ? Math.Max(start, OffsetAtOrEnd(consumer, tp, until, marks)) : marks.High.Value;
            ranges.Add(new PartitionRange(p, Math.Max(start, marks.Low.Value), Math.Min(end, marks.High.Value)));
        }

        return ranges;
    }

    /// <summary>End bound for a time: the first offset at or after it, or the high watermark (records are filtered by time anyway).</summary>
    private static long OffsetAtOrEnd(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, DateTimeOffset at, WatermarkOffsets marks)
    {
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(at.UtcDateTime))], TimeSpan.FromSeconds(10)).Single();
        return found.Offset.Value >= 0 ? found.Offset.Value : marks.High.Value;
    }

    /// <summary>
    /// First offset with a timestamp at or after <paramref name="at"/> (a seek hint; timestamps are also
    /// checked per record). When the broker answers "none", the last record is checked: some brokers (the
    /// embedded mock cluster) do not implement time lookups at all, and then the whole partition is scanned.
    /// </summary>
    private static long OffsetAt(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, DateTimeOffset at, WatermarkOffsets marks)
    {
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(at.UtcDateTime))], TimeSpan.FromSeconds(10)).Single();
        if (found.Offset.Value >= 0)
        {
            return found.Offset.Value;
        }

        if (marks.High.Value <= marks.Low.Value)
        {
            return marks.High.Value;
        }

        consumer.Assign(new TopicPartitionOffset(tp, marks.High.Value - 1));
        try
        {
            var last = consumer.Consume(TimeSpan.FromSeconds(10));
            return last?.Message is not null && last.Message.Timestamp.UtcDateTime < at.UtcDateTime ? marks.High.Value : marks.Low.Value;
        }
        finally
        {
            consumer.Unassign();
        }
    }

    private object? Decode(IDeserializer<GenericRecord>? decoder, ConsumeResult<byte[]?, byte[]?> result, ref long undecodable)
    {
        var bytes = result.Message.Value;
        if (bytes is null)
        {
            return null; // tombstone
        }

        if (decoder is null || bytes.Length < 5 || bytes[0] != 0)
        {
            undecodable++;
            return bytes;
        }

        try
        {
            return ToPlain(decoder.Deserialize(bytes, false, new SerializationContext(MessageComponentType.Value, options.Topic)));
        }
        catch (Exception ex) when (ex is Avro.AvroException or SchemaRegistryException or InvalidDataException or AggregateException or IndexOutOfRangeException)
        {
            undecodable++;
            return bytes;
        }
    }

    /// <summary>GenericRecord → dictionaries, lists and primitives, for filtering and JSON.</summary>
    private static object? ToPlain(object? value) => value switch
    {
        null => null,
        GenericRecord r => r.Schema.Fields.ToDictionary(f => f.Name, f => ToPlain(r.GetValue(f.Pos)), StringComparer.Ordinal),
        GenericEnum e => e.Value,
        GenericFixed f => Convert.ToBase64String(f.Value),
        byte[] b => Convert.ToBase64String(b),
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s => s,
        IDictionary map => map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => ToPlain(map[k]), StringComparer.Ordinal),
        IEnumerable list => list.Cast<object?>().Select(ToPlain).ToList(),
        _ => value,
    };

    private bool InTimeWindow(ConsumeResult<byte[]?, byte[]?> r)
    {
        var ts = r.Message.Timestamp.UtcDateTime;
        return (options.From is not { } from || options.FromOffsets.ContainsKey(r.Partition.Value) || ts >= from.UtcDateTime)
            && (options.To is not { } to || options.ToOffsets.ContainsKey(r.Partition.Value) || ts < to.UtcDateTime);
    }

    private static string? Field(object? value, string name)
        => value is Dictionary<string, object?> d && d.TryGetValue(name, out var v) ? v?.ToString() : null;

    private static string? Header(ConsumeResult<byte[]?, byte[]?> r, string name)
        => r.Message.Headers is { } h && h.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    private bool Matches(object? value, ConsumeResult<byte[]?, byte[]?> r)
    {
        var f = options.Filter;
        if (f.IsEmpty)
        {
            return true;
        }

        static bool Ok(IReadOnlyList<string> allowed, string? actual) => allowed.Count == 0 || (actual is not null && allowed.Contains(actual, StringComparer.OrdinalIgnoreCase));
        var user = Field(value, "userId") ?? (r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : null);
        return Ok(f.Outcomes, OutcomeOf(value, r)) && Ok(f.Channels, Field(value, "channel")) && Ok(f.Categories, Field(value, "category")) && Ok(f.Users, user);
    }

    private string OutcomeOf(object? value, ConsumeResult<byte[]?, byte[]?> r)
        => Field(value, "outcome")
           ?? (Header(r, HeaderNames.DlqReason) is { } reason ? "dlq:" + reason : null)
           ?? (value is null ? "tombstone" : "record");

    private string Destination(ConsumeResult<byte[]?, byte[]?> r)
    {
        if (options.RepublishTopic is { } explicitTopic)
        {
            return explicitTopic;
        }

        if (options.Topic == Topics.DeadLetter)
        {
            return Header(r, HeaderNames.OriginalTopic) is { } original && original != Topics.DeadLetter
                ? NormaliseRetry(original)
                : throw new InvalidOperationException($"DLQ record {r.TopicPartitionOffset} has no {HeaderNames.OriginalTopic} header; pass --to-topic.");
        }

        var channelTopics = Topics.SenderChannels.Select(Topics.ForChannel).ToHashSet(StringComparer.Ordinal);
        if (channelTopics.Contains(options.Topic) || options.Topic == Topics.Requested)
        {
            return options.Topic;
        }

        return NormaliseRetry(options.Topic) is var t && t != options.Topic
            ? t
            : throw new InvalidOperationException($"Records of '{options.Topic}' have no natural destination; pass --to-topic.");
    }

    /// <summary>A retry topic's records go back to their channel topic: the retry schedule starts afresh.</summary>
    private static string NormaliseRetry(string topic)
        => Topics.SenderChannels.FirstOrDefault(c => Topics.Retry(c) == topic) is { } channel ? Topics.ForChannel(channel) : topic;

    private Message<byte[]?, byte[]?> RepublishMessage(ConsumeResult<byte[]?, byte[]?> r)
    {
        var headers = new Headers();
        foreach (var h in r.Message.Headers ?? [])
        {
            if (!DroppedOnRepublish.Contains(h.Key))
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        headers.Add(HeaderNames.ReplayedFrom, Encoding.UTF8.GetBytes($"{r.Topic}/{r.Partition.Value}/{r.Offset.Value}"));
        if (options.Force)
        {
            headers.Add(HeaderNames.ReplayForce, "true"u8.ToArray());
        }

        return new Message<byte[]?, byte[]?> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers };
    }

    private StreamWriter? OpenOutput() => options.DryRun || options.Output is null
        ? null
        : options.Output == "-"
            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false }
            : new StreamWriter(options.Output, append: false, new UTF8Encoding(false));

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private async Task<string[]?> WriteAsync(StreamWriter writer, ConsumeResult<byte[]?, byte[]?> r, object? value, string[]? columns)
    {
        var headers = (r.Message.Headers ?? []).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().GetValueBytes()));
        var key = r.Message.Key is { } k ? Encoding.UTF8.GetString(k) : null;
        if (options.Format == ReplayFormat.JsonLines)
        {
            var line = new Dictionary<string, object?>
            {
                ["topic"] = r.Topic,
                ["partition"] = r.Partition.Value,
                ["offset"] = r.Offset.Value,
                ["timestamp"] = r.Message.Timestamp.UtcDateTime,
                ["key"] = key,
                ["headers"] = headers,
                [value is byte[] ? "value_base64" : "value"] = value is byte[] raw ? Convert.ToBase64String(raw) : value,
            };
            await writer.WriteLineAsync(JsonSerializer.Serialize(line, Json));
            return columns;
        }

        var fields = value as Dictionary<string, object?>;
        if (columns is null)
        {
            columns = ["topic", "partition", "offset", "timestamp", "key", .. fields?.Keys ?? Enumerable.Empty<string>()];
            await writer.WriteLineAsync(string.Join(',', columns.Select(Csv)));
        }

        var cells = columns.Select(c => c switch
        {
            "topic" => r.Topic,
            "partition" => r.Partition.Value.ToString(CultureInfo.InvariantCulture),
            "offset" => r.Offset.Value.ToString(CultureInfo.InvariantCulture),
            "timestamp" => r.Message.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            "key" => key,
            _ => fields is not null && fields.TryGetValue(c, out var v) ? v switch
            {
                null => "",
                string s => s,
                DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => JsonSerializer.Serialize(v, Json),
            } : "",
        });
        await writer.WriteLineAsync(string.Join(',', cells.Select(Csv)));
        return columns;
    }

    private static string Csv(string? cell)
        => cell is null ? "" : cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
