using System.Collections.Concurrent;
using Streaming.Contracts;

namespace Streaming.Cli;

/// <summary>
/// Where every request that went through the stack stands, from what the topics say: the request on
/// notifications.requested, the channel messages routed for it, its statuses, and a dead letter of the request itself.
/// A request is final when it has a final outcome (or was dead-lettered at intake) and every message routed for it has a
/// final outcome from its sender; deferred or scheduled requests are held, not lost.
/// </summary>
internal sealed class RequestLedger
{
    private readonly ConcurrentDictionary<string, RequestState> requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(int Partition, long Offset), string> byOffset = new();
    private readonly ConcurrentDictionary<string, long> bySource = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> latenciesMs = [];

    private sealed class RequestState
    {
        public bool Seen;
        public string? IntakeDeadLetter;
        public readonly HashSet<(string Channel, string Target)> Routed = [];
        public readonly Dictionary<(string Channel, string Target), string> Latest = [];
        public int FinalOutcomes;
        public string? LatestRequestLevel;
        public string? LatestReason;
    }

    /// <summary>A request read from notifications.requested; <paramref name="eventId"/> is null when its bytes are unreadable.</summary>
    public void Requested(string? eventId, int partition, long offset, string? source)
    {
        var key = eventId ?? $"@{partition}:{offset}";
        byOffset[(partition, offset)] = key;
        bySource.AddOrUpdate(source ?? "unknown", 1, (_, n) => n + 1);
        Update(key, s => s.Seen = true);
    }

    public void Routed(string eventId, string channel, string target) => Update(eventId, s => s.Routed.Add((channel, target)));

    public void Status(DeliveryStatus status)
    {
        Update(status.eventId, s =>
        {
            if (status.target is null || status.channel == Outcomes.NoChannel)
            {
                (s.LatestRequestLevel, s.LatestReason) = (status.outcome, status.reason);
            }
            else
            {
                s.Latest[(status.channel, status.target)] = status.outcome;
            }

            s.FinalOutcomes += Outcomes.Final.Contains(status.outcome) ? 1 : 0;
        });
        if (status.outcome == Outcomes.Delivered)
        {
            latenciesMs.Add((status.occurredAt - status.requestedAt).TotalMilliseconds);
        }
    }

    /// <summary>A dead letter of a request itself (coordinates on notifications.requested); it is final even without a status.</summary>
    public void DeadLetteredAtIntake(int partition, long offset, string reason)
    {
        if (byOffset.TryGetValue((partition, offset), out var key))
        {
            Update(key, s => s.IntakeDeadLetter = reason);
        }
    }

    public TrackerSnapshot Snapshot()
    {
        long requested = 0, done = 0, held = 0;
        var pending = new List<string>();
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byChannel = Topics.SenderChannels.ToDictionary(c => c, _ => new SortedDictionary<string, long>(StringComparer.Ordinal));
        void Count(IDictionary<string, long> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
        foreach (var (key, state) in requests)
        {
            lock (state)
            {
                if (!state.Seen)
                {
                    continue; // a status read before its request: counted once the request is read
                }

                requested++;
                foreach (var ((channel, _), outcome) in state.Latest)
                {
                    Count(outcomes, outcome);
                    if (byChannel.TryGetValue(channel, out var counts))
                    {
                        Count(counts, outcome);
                    }
                }

                var requestLevel = state.LatestRequestLevel ?? (state.IntakeDeadLetter is null ? null : Outcomes.DeadLettered);
                if (requestLevel is not null)
                {
                    Count(outcomes, requestLevel);
                    Count(reasons, $"{requestLevel}:{state.LatestReason ?? state.IntakeDeadLetter ?? "none"}");
                }

                var everyRoutedFinal = state.Routed.All(t => state.Latest.TryGetValue(t, out var o) && Outcomes.Final.Contains(o));
                if ((state.FinalOutcomes > 0 || state.IntakeDeadLetter is not null) && everyRoutedFinal)
                {
                    done++;
                }
                else if (state.Routed.Count == 0 && requestLevel is not null && Outcomes.Held.Contains(requestLevel))
                {
                    held++;
                }
                else
                {
                    pending.Add(key);
                }
            }
        }

        var sorted = latenciesMs.ToArray();
        Array.Sort(sorted);
        return new TrackerSnapshot(requested, done, held, pending, outcomes, byChannel, reasons, new SortedDictionary<string, long>(bySource), LatencyPercentiles.Of(sorted));
    }

    private void Update(string key, Action<RequestState> change)
    {
        var state = requests.GetOrAdd(key, _ => new RequestState());
        lock (state)
        {
            change(state);
        }
    }
}

internal sealed record LatencyPercentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencyPercentiles Of(double[] sorted)
    {
        if (sorted.Length == 0)
        {
            return new LatencyPercentiles(0, 0, 0, 0, 0);
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencyPercentiles(sorted.Length, Math.Round(At(0.50), 1), Math.Round(At(0.95), 1), Math.Round(At(0.99), 1), Math.Round(sorted[^1], 1));
    }
}

/// <summary>Where every request stands at one moment.</summary>
internal sealed record TrackerSnapshot(
    long Requested,
    long Final,
    long Held,
    IReadOnlyList<string> Pending,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, SortedDictionary<string, long>> ByChannel,
    IReadOnlyDictionary<string, long> RequestLevelReasons,
    IReadOnlyDictionary<string, long> BySource,
    LatencyPercentiles Latency);
