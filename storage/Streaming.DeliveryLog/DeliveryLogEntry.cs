using Streaming.Contracts;

namespace Streaming.DeliveryLog;

/// <summary>
/// One row of the delivery log: an outcome for (eventId, channel, target), or for the request as a whole (channel
/// <see cref="Outcomes.NoChannel"/>, empty target).
/// </summary>
/// <param name="SourceService">Who sent the request (service or API client): who may read its status.</param>
/// <param name="Forced">Delivered although the log said delivered before (a replay with --force).</param>
/// <param name="Details">Where the outcome was decided (host, source topic/partition/offset), for operators.</param>
public sealed record DeliveryLogEntry(
    string EventId,
    string Channel,
    string Target,
    string Outcome,
    int Attempt,
    string UserId,
    string? Category = null,
    string? Provider = null,
    string? ProviderMessageId = null,
    string? Reason = null,
    string? Error = null,
    DateTimeOffset RequestedAt = default,
    DateTimeOffset OccurredAt = default,
    string? SourceService = null,
    bool Forced = false,
    IReadOnlyDictionary<string, string>? Details = null)
{
    /// <summary>The row for a status record, as its writer or a reader of notifications.delivery-status records it.</summary>
    public static DeliveryLogEntry From(DeliveryStatus status, bool forced = false, IReadOnlyDictionary<string, string>? details = null) => new(
        status.eventId, status.channel, status.target ?? "", status.outcome, status.attempt, status.userId, status.category,
        status.provider, status.providerMessageId, status.reason, status.error, Utc(status.requestedAt), Utc(status.occurredAt),
        status.sourceService, forced, details);

    /// <summary>Avro timestamp-millis come back as UTC DateTimes; an unspecified kind is UTC too.</summary>
    private static DateTimeOffset Utc(DateTime d) => new(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc));
}
