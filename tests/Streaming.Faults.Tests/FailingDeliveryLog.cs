using System.Collections.Concurrent;
using Streaming.DeliveryLog;
using Streaming.Senders;

namespace Streaming.Faults.Tests;

/// <summary>
/// The real delivery log behind a switch: while <see cref="FailWrites"/> is on, every append fails the way a store fails
/// when its disk or connection does (as a faulted task, like the real writers); <see cref="FailReads"/> does the same to
/// the "delivered before?" check. Disposing it leaves the inner log to its owner.
/// </summary>
internal sealed class FailingDeliveryLog(IDeliveryLog inner) : IDeliveryLog
{
    private readonly ConcurrentDictionary<string, byte> failedEvents = new();
    private long failedAppends;
    private long failedReads;

    public volatile bool FailWrites;

    public volatile bool FailReads;

    public long FailedAppends => Interlocked.Read(ref failedAppends);

    public long FailedReads => Interlocked.Read(ref failedReads);

    /// <summary>Event IDs whose outcome could not be written at least once.</summary>
    public IReadOnlyCollection<string> FailedEvents => [.. failedEvents.Keys];

    public async Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (FailWrites)
        {
            Interlocked.Increment(ref failedAppends);
            failedEvents.TryAdd(entry.EventId, 0);
            throw new DeliveryLogUnavailableException("disk I/O error (injected by the fault test)");
        }

        await inner.AppendAsync(entry, cancellationToken);
    }

    public async Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (FailReads)
        {
            Interlocked.Increment(ref failedReads);
            throw new DeliveryLogUnavailableException("disk I/O error (injected by the fault test)");
        }

        return await inner.WasDeliveredAsync(eventId, channel, target, cancellationToken);
    }

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default) => inner.ReadAsync(eventId, cancellationToken);

    public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
