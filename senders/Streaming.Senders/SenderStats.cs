namespace Streaming.Senders;

/// <summary>
/// Counts of one sender since it started: <c>Retried</c> counts retry-topic hand-offs, <c>RetriedInPlace</c> provider calls
/// repeated in place, <c>ForcedRedeliveries</c> records a replay with --force sent past the log check.
/// </summary>
public sealed record SenderStats(long Delivered, long Failed, long Expired, long Retried, long DeadLettered, long DuplicatesSkipped, long CircuitOpened, long CircuitClosed, long ForcedRedeliveries = 0, long RetriedInPlace = 0);
