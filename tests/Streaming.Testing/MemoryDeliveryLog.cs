using System.Collections.Concurrent;
using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Testing;

/// <summary>
/// A delivery log in memory that keeps every call: <see cref="Appends"/> lists each append (even one the log already
/// had, which leaves one row as the real stores do), and <see cref="FailAppends"/> / <see cref="FailReads"/> make calls
/// fail the way an unreachable store does.
/// </summary>
public sealed class MemoryDeliveryLog : IDeliveryLog
{
    private readonly ConcurrentQueue<DeliveryLogEntry> appends = new();
    private readonly ConcurrentDictionary<(string, string, string, DateTimeOffset, string, int), DeliveryLogEntry> rows = new();
    private long failedAppends;

    public volatile bool FailAppends;

    public volatile bool FailReads;

    /// <summary>Every successful append call, in order.</summary>
    public IReadOnlyList<DeliveryLogEntry> Appends => [.. appends];

    /// <summary>Append calls refused while <see cref="FailAppends"/> was on.</summary>
    public long FailedAppends => Interlocked.Read(ref failedAppends);

    public Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default)
    {
        if (FailAppends)
        {
            Interlocked.Increment(ref failedAppends);
            return Task.FromException(new DeliveryLogUnavailableException("store unreachable (injected by the test)"));
        }

        appends.Enqueue(entry);
        rows.TryAdd((entry.EventId, entry.Channel, entry.Target, entry.OccurredAt, entry.Outcome, entry.Attempt), entry);
        return Task.CompletedTask;
    }

    public Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default)
        => Read(() => rows.Values.Any(e => e.EventId == eventId && e.Channel == channel && e.Target == target && e.Outcome == Outcomes.Delivered));

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<DeliveryLogEntry>>(() => [.. rows.Values.Where(e => e.EventId == eventId).OrderBy(e => e.OccurredAt)]);

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
        => Read<IReadOnlyList<DeliveryLogEntry>>(() => [.. rows.Values.OrderBy(e => e.OccurredAt)]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<T> Read<T>(Func<T> read)
        => FailReads ? Task.FromException<T>(new DeliveryLogUnavailableException("store unreachable (injected by the test)")) : Task.FromResult(read());
}
