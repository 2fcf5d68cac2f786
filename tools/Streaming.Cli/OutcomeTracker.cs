using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streaming.LocalStack;

namespace Streaming.Cli;

/// <summary>
/// Follows what actually happened to every accepted request by reading the channel topics (what the
/// topology routed) and notifications.delivery-status (every outcome), the way a data team would.
/// A request is final when it has at least one final outcome and every channel message routed for it
/// has a final outcome from its sender; deferred or scheduled requests are held, not lost.
/// </summary>
internal sealed class OutcomeTracker : IDisposable
{
    private readonly ConcurrentDictionary<string, RequestState> requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> acceptedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> latenciesMs = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task reader;
    private long statusRecords;

    private sealed class RequestState
    {
        public readonly HashSet<(string Channel, string Target)> Routed = [];
        public readonly Dictionary<(string Channel, string Target), string> Latest = [];
        public readonly List<string> FinalOutcomes = [];
        public string? LatestRequestLevel;
        public string? LatestReason;
    }

    public OutcomeTracker(string bootstrapServers, ISchemaRegistryClient registry)
    {
        var statusDeserializer = AvroSerdes.Deserializer<DeliveryStatus>(registry);
        var channelDeserializer = AvroSerdes.Deserializer<ChannelNotification>(registry);
        reader = Task.Factory.StartNew(() => Read(bootstrapServers, statusDeserializer, channelDeserializer), TaskCreationOptions.LongRunning);
    }

    /// <summary>Called for every request the API accepted.</summary>
    public void Accepted(string eventId) => acceptedAt.TryAdd(eventId, DateTime.UtcNow);

    public long AcceptedCount => acceptedAt.Count;

    public long StatusRecords => Interlocked.Read(ref statusRecords);

    private void Read(string bootstrap, IDeserializer<DeliveryStatus> statuses, IDeserializer<ChannelNotification> channels)
    {
        using var consumer = new ConsumerBuilder<string, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "streaming-cli-outcomes", // assigned, never joined: no rebalance, no commits
            EnableAutoCommit = false,
        }).Build();
        string[] topics = [Topics.DeliveryStatus, .. Topics.SenderChannels.Select(Topics.ForChannel)];
        consumer.Assign(topics.SelectMany(t => Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(t, p, Offset.Beginning))));
        while (!stop.IsCancellationRequested)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r?.Message?.Value is not { } bytes)
            {
                continue;
            }

            var context = new SerializationContext(MessageComponentType.Value, r.Topic);
            try
            {
                if (r.Topic == Topics.DeliveryStatus)
                {
                    OnStatus(statuses.Deserialize(bytes, false, context));
                    Interlocked.Increment(ref statusRecords);
                }
                else
                {
                    var message = channels.Deserialize(bytes, false, context);
                    var state = requests.GetOrAdd(message.eventId, _ => new RequestState());
                    lock (state)
                    {
                        state.Routed.Add((message.channel, message.target));
                    }
                }
            }
            catch (Exception ex) when (ex is Avro.AvroException or InvalidDataException or AggregateException)
            {
                // Not ours to judge here: the senders dead-letter bad channel records and count them.
            }
        }

        consumer.Close();
    }

    private void OnStatus(DeliveryStatus status)
    {
        var state = requests.GetOrAdd(status.eventId, _ => new RequestState());
        lock (state)
        {
            if (status.target is null || status.channel == Outcomes.NoChannel)
            {
                state.LatestRequestLevel = status.outcome;
                state.LatestReason = status.reason;
            }
            else
            {
                state.Latest[(status.channel, status.target)] = status.outcome;
            }

            if (Outcomes.Final.Contains(status.outcome))
            {
                state.FinalOutcomes.Add(status.outcome);
            }
        }

        if (status.outcome == Outcomes.Delivered)
        {
            latenciesMs.Add((status.occurredAt - status.requestedAt).TotalMilliseconds);
        }
    }

    /// <summary>Where each accepted request stands now.</summary>
    public TrackerSnapshot Snapshot()
    {
        long done = 0, held = 0;
        var pending = new List<string>();
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byChannel = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var c in Topics.SenderChannels)
        {
            byChannel[c] = new SortedDictionary<string, long>(StringComparer.Ordinal);
        }

        foreach (var eventId in acceptedAt.Keys)
        {
            if (!requests.TryGetValue(eventId, out var state))
            {
                pending.Add(eventId);
                continue;
            }

            lock (state)
            {
                foreach (var ((channel, _), outcome) in state.Latest)
                {
                    if (byChannel.TryGetValue(channel, out var counts))
                    {
                        counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
                    }

                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }

                if (state.LatestRequestLevel is { } requestLevel)
                {
                    outcomes[requestLevel] = outcomes.GetValueOrDefault(requestLevel) + 1;
                    var why = $"{requestLevel}:{state.LatestReason ?? "none"}";
                    reasons[why] = reasons.GetValueOrDefault(why) + 1;
                }

                var everyRoutedFinal = state.Routed.All(t => state.Latest.TryGetValue(t, out var o) && Outcomes.Final.Contains(o));
                if (state.FinalOutcomes.Count > 0 && everyRoutedFinal)
                {
                    done++;
                }
                else if (state.Routed.Count == 0 && state.LatestRequestLevel is { } l && Outcomes.Held.Contains(l))
                {
                    held++;
                }
                else
                {
                    pending.Add(eventId);
                }
            }
        }

        var sorted = latenciesMs.ToArray();
        Array.Sort(sorted);
        return new TrackerSnapshot(acceptedAt.Count, done, held, pending, outcomes, byChannel, reasons, Percentiles(sorted));
    }

    private static LatencyPercentiles Percentiles(double[] sorted)
    {
        if (sorted.Length == 0)
        {
            return new LatencyPercentiles(0, 0, 0, 0, 0);
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencyPercentiles(sorted.Length, Math.Round(At(0.50), 1), Math.Round(At(0.95), 1), Math.Round(At(0.99), 1), Math.Round(sorted[^1], 1));
    }

    public void Dispose()
    {
        stop.Cancel();
        reader.Wait(TimeSpan.FromSeconds(10));
        stop.Dispose();
    }
}

internal sealed record LatencyPercentiles(int Count, double P50, double P95, double P99, double Max);

internal sealed record TrackerSnapshot(
    long Accepted,
    long Final,
    long Held,
    IReadOnlyList<string> Pending,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, SortedDictionary<string, long>> ByChannel,
    IReadOnlyDictionary<string, long> RequestLevelReasons,
    LatencyPercentiles Latency);
