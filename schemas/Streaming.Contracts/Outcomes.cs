namespace Streaming.Contracts;

/// <summary>
/// The values of <c>DeliveryStatus.outcome</c> and of the delivery log's outcome column: what happened to a request
/// (channel <see cref="NoChannel"/>) or to one of its messages (a channel and a target).
/// </summary>
public static class Outcomes
{
    /// <summary>
    /// The API wrote the request to Kafka (a request-level row the API appends to the delivery log; it is never a
    /// DeliveryStatus record, so status consumers and reports do not count it).
    /// </summary>
    public const string Accepted = "accepted";

    /// <summary>The provider accepted the message.</summary>
    public const string Delivered = "delivered";

    /// <summary>Will never succeed: the provider rejected it, the target is dead, or the user has no address for a requested channel.</summary>
    public const string Failed = "failed";

    /// <summary>Its expiresAt passed before it could be sent.</summary>
    public const string Expired = "expired";

    /// <summary>A transient failure; the message waits on a retry topic for its next attempt.</summary>
    public const string Retrying = "retrying";

    /// <summary>On notifications.dlq with the reason in headers (bad input, or retries used up).</summary>
    public const string DeadLettered = "dead_lettered";

    /// <summary>Not sent because the user opted out or unsubscribed.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>The event ID was seen before within the dedup horizon; dropped.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Held for the end of the user's quiet hours.</summary>
    public const string Deferred = "deferred";

    /// <summary>Held until its sendAt.</summary>
    public const string Scheduled = "scheduled";

    /// <summary>The channel of a status about the request as a whole (before any channel was chosen).</summary>
    public const string NoChannel = "none";

    /// <summary>Outcomes after which nothing more happens to that request or message.</summary>
    public static readonly IReadOnlySet<string> Final = new HashSet<string>(StringComparer.Ordinal) { Delivered, Suppressed, Failed, DeadLettered, Expired, Duplicate };

    /// <summary>Outcomes of a request the topology holds for later.</summary>
    public static readonly IReadOnlySet<string> Held = new HashSet<string>(StringComparer.Ordinal) { Deferred, Scheduled };

    /// <summary>Every outcome, in the order reports list them.</summary>
    public static readonly IReadOnlyList<string> All = [Delivered, Suppressed, Failed, Retrying, DeadLettered, Expired, Deferred, Scheduled, Duplicate];
}
