using Streaming.Contracts;

namespace Streaming.Api;

/// <summary>
/// The summary states of a notification (<see cref="NotificationStatus.State"/>), derived from its rows in one place
/// (<see cref="Of"/>). Once any target has an outcome the targets decide; before that, the latest outcome about the
/// request as a whole does. A target shows up with its first outcome, so a request routed to several channels can read
/// final before its last channel reported.
/// </summary>
public static class NotificationStates
{
    /// <summary>The API wrote it to Kafka; nothing has happened to it since (it is being routed or waits in a topic).</summary>
    public const string Accepted = "accepted";

    /// <summary>Held for later: until its sendAt, or the end of the user's quiet hours.</summary>
    public const string Held = "held";

    /// <summary>A target is waiting for its next attempt after a transient failure.</summary>
    public const string InProgress = "in_progress";

    /// <summary>Every target delivered.</summary>
    public const string Delivered = "delivered";

    /// <summary>Some targets delivered, the others ended otherwise (failed, suppressed, expired, dead-lettered).</summary>
    public const string PartiallyDelivered = "partially_delivered";

    /// <summary>Nothing delivered, and something failed (a provider refused, a target is dead, or the user has no address).</summary>
    public const string Failed = "failed";

    /// <summary>Every target suppressed: the user opted out or unsubscribed.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>On the dead-letter topic, to be fixed and replayed (unknown user, broken template, retries used up).</summary>
    public const string DeadLettered = "dead_lettered";

    /// <summary>Its expiresAt passed before it could be sent.</summary>
    public const string Expired = "expired";

    /// <summary>The same event ID was seen before: this request was dropped (the first one's targets are listed if any).</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Every state, for documentation and clients.</summary>
    public static readonly IReadOnlyList<string> All = [Accepted, Held, InProgress, Delivered, PartiallyDelivered, Failed, Suppressed, DeadLettered, Expired, Duplicate];

    /// <summary>The state of a notification whose targets' latest outcomes are <paramref name="targetOutcomes"/> and whose latest request-level outcome (other than accepted) is <paramref name="requestOutcome"/>.</summary>
    public static string Of(IReadOnlyCollection<string> targetOutcomes, string? requestOutcome)
    {
        if (targetOutcomes.Count == 0)
        {
            return requestOutcome switch
            {
                null => Accepted,
                Outcomes.Deferred or Outcomes.Scheduled => Held,
                Outcomes.Duplicate => Duplicate,
                Outcomes.DeadLettered => DeadLettered,
                Outcomes.Expired => Expired,
                Outcomes.Suppressed => Suppressed,
                _ => Failed,
            };
        }

        if (targetOutcomes.Any(o => !Outcomes.Final.Contains(o)))
        {
            return InProgress;
        }

        var delivered = targetOutcomes.Count(o => o == Outcomes.Delivered);
        if (delivered > 0)
        {
            return delivered == targetOutcomes.Count ? Delivered : PartiallyDelivered;
        }

        return targetOutcomes.All(o => o == Outcomes.Suppressed) ? Suppressed
            : targetOutcomes.All(o => o == Outcomes.Expired) ? Expired
            : targetOutcomes.Contains(Outcomes.DeadLettered) ? DeadLettered
            : Failed;
    }
}
