namespace Streaming.DeliveryLog;

/// <summary>One row of the delivery log: an outcome for (eventId, channel, target).</summary>
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
    DateTimeOffset OccurredAt = default);
