namespace Streaming.DeliveryLog;

/// <summary>
/// The delivery log keyed by event ID (embedded default: <see cref="SqliteDeliveryLog"/>; the Cassandra table for
/// real deployments is schemas/delivery_log.cql). <see cref="AppendAsync"/> completes only once the row is durable.
/// </summary>
public interface IDeliveryLog : IAsyncDisposable
{
    Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>True when an earlier <c>delivered</c> row exists for the same (eventId, channel, target).</summary>
    Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>Every row (oldest first), for tools and tests.</summary>
    Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default);
}
