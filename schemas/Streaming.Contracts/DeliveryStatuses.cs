namespace Streaming.Contracts;

/// <summary>
/// Builds the DeliveryStatus records every stage writes: the topology about a request (no provider called, attempt 0)
/// and a sender about one channel message. The request's identity (event, user, category, who sent it, when) always
/// comes along, so a reader of one status needs nothing else.
/// </summary>
public static class DeliveryStatuses
{
    /// <summary>A status the topology decides about <paramref name="request"/> as a whole or one of its targets.</summary>
    public static DeliveryStatus About(NotificationRequested request, string channel, string? target, string outcome, string? reason, DateTimeOffset at)
        => Create(request.eventId, request.userId, request.category, request.sourceService, request.createdAt, channel, target, outcome, reason, at);

    /// <summary>A sender's outcome for one channel message; <paramref name="provider"/> is null when no provider was called.</summary>
    public static DeliveryStatus About(ChannelNotification message, string outcome, string? reason, DateTimeOffset at, int attempt = 0,
        string? provider = null, string? providerMessageId = null, string? error = null)
    {
        var status = Create(message.eventId, message.userId, message.category, message.sourceService, message.requestedAt, message.channel, message.target, outcome, reason, at);
        status.attempt = attempt;
        status.provider = provider;
        status.providerMessageId = providerMessageId;
        status.error = error;
        return status;
    }

    private static DeliveryStatus Create(string eventId, string userId, string? category, string? sourceService, DateTime requestedAt,
        string channel, string? target, string outcome, string? reason, DateTimeOffset at) => new()
    {
        eventId = eventId,
        userId = userId,
        category = category,
        sourceService = sourceService,
        requestedAt = requestedAt,
        channel = channel,
        target = target,
        outcome = outcome,
        reason = reason,
        attempt = 0,
        occurredAt = at.UtcDateTime,
    };
}
