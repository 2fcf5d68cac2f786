using Streaming.Contracts;
using Streaming.DeliveryLog;

namespace Streaming.Api;

/// <summary>Turns a notification's delivery-log rows into its <see cref="NotificationStatus"/>: targets masked, one latest outcome each.</summary>
public static class NotificationStatusBuilder
{
    /// <summary>The status of <paramref name="eventId"/> from its rows (at least one, all of that event).</summary>
    public static NotificationStatus Build(string eventId, IReadOnlyList<DeliveryLogEntry> rows)
    {
        var ordered = rows.OrderBy(r => r.OccurredAt).ThenBy(r => r.Attempt).ThenBy(r => Outcomes.Final.Contains(r.Outcome)).ToList();
        var identity = ordered.FirstOrDefault(r => r.Outcome == Outcomes.Accepted) ?? ordered[0];
        var request = ordered.LastOrDefault(r => r.Channel == Outcomes.NoChannel && r.Outcome != Outcomes.Accepted);
        var targets = ordered.Where(r => r.Channel != Outcomes.NoChannel)
            .GroupBy(r => (r.Channel, r.Target))
            .Select(g => Target(g.ToList()))
            .OrderBy(t => t.FirstAt).ThenBy(t => t.Channel, StringComparer.Ordinal)
            .ToList();
        var requestedAt = ordered.Select(r => r.RequestedAt).FirstOrDefault(t => t != default);
        return new NotificationStatus(
            eventId,
            identity.UserId,
            identity.Category ?? ordered.Select(r => r.Category).FirstOrDefault(c => c is not null),
            identity.SourceService ?? ordered.Select(r => r.SourceService).FirstOrDefault(s => s is not null),
            requestedAt == default ? null : requestedAt,
            NotificationStates.Of([.. targets.Select(t => t.Outcome)], request?.Outcome),
            request is null ? null : new RequestOutcome(request.Outcome, request.Reason, request.OccurredAt),
            targets);
    }

    /// <summary>Whether <paramref name="client"/> may read the notification of <paramref name="rows"/>: it sent it, or it may read every status.</summary>
    public static bool MayRead(ApiClient client, IReadOnlyList<DeliveryLogEntry> rows)
        => client.CanReadAllStatuses || rows.Any(r => string.Equals(r.SourceService, client.Name, StringComparison.Ordinal));

    /// <param name="rows">One target's rows, oldest first.</param>
    private static TargetStatus Target(List<DeliveryLogEntry> rows)
    {
        var latest = rows[^1];
        var called = rows.LastOrDefault(r => r.Provider is not null);
        return new TargetStatus(
            latest.Channel,
            Pii.Mask(latest.Target),
            latest.Outcome,
            latest.Reason,
            called?.Provider,
            rows.LastOrDefault(r => r.ProviderMessageId is not null)?.ProviderMessageId,
            rows.Max(r => r.Attempt),
            rows[0].OccurredAt,
            latest.OccurredAt,
            rows.Any(r => r.Forced));
    }
}
