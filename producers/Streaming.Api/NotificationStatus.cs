namespace Streaming.Api;

/// <summary>
/// Answer of GET /v1/notifications/{eventId}: what the delivery log knows about one notification, for the client that
/// sent it. Built from the log's rows by <see cref="NotificationStatusBuilder"/>.
/// </summary>
/// <param name="EventId">The event ID the POST answered with.</param>
/// <param name="SourceService">The API client (or service) that sent the request.</param>
/// <param name="RequestedAt">When the request was created (null when no row carries it).</param>
/// <param name="State">The summary: one of <see cref="NotificationStates"/>.</param>
/// <param name="Request">The latest outcome about the request as a whole, other than its acceptance (held, duplicate, dead-lettered, expired); null when there is none.</param>
/// <param name="Targets">Per channel and target, its latest outcome; empty until a target has one.</param>
public sealed record NotificationStatus(
    string EventId,
    string UserId,
    string? Category,
    string? SourceService,
    DateTimeOffset? RequestedAt,
    string State,
    RequestOutcome? Request,
    IReadOnlyList<TargetStatus> Targets);

/// <summary>An outcome about the request as a whole (no channel chosen yet, or none possible).</summary>
/// <param name="Outcome">deferred, scheduled, duplicate, dead_lettered, expired, ...</param>
/// <param name="Reason">Machine-readable, e.g. quiet-hours, send-at, unknown-recipient.</param>
public sealed record RequestOutcome(string Outcome, string? Reason, DateTimeOffset At);

/// <summary>The latest outcome of one message: a channel and a target.</summary>
/// <param name="Target">The address, number or device token, masked as the platform's logs mask it.</param>
/// <param name="Outcome">delivered, retrying, failed, dead_lettered, expired, suppressed.</param>
/// <param name="Reason">Machine-readable, e.g. invalid-token, opted-out, retries-exhausted.</param>
/// <param name="Provider">apns, fcm, twilio or sendgrid, when one was called.</param>
/// <param name="ProviderMessageId">The ID the provider returned for the delivered message.</param>
/// <param name="Attempts">The highest delivery attempt (0 when no provider was called).</param>
/// <param name="FirstAt">The target's first outcome.</param>
/// <param name="LastAt">The target's latest outcome.</param>
/// <param name="Forced">Delivered again by a replay with --force.</param>
public sealed record TargetStatus(
    string Channel,
    string Target,
    string Outcome,
    string? Reason,
    string? Provider,
    string? ProviderMessageId,
    int Attempts,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    bool Forced);
