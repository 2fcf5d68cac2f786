namespace Streaming.Senders;

/// <summary>Counts of one sender since it started; <c>ForcedRedeliveries</c> are records a replay with --force sent past the log check.</summary>
public sealed record SenderStats(long Delivered, long Failed, long Expired, long Retried, long DeadLettered, long DuplicatesSkipped, long CircuitOpened, long CircuitClosed, long ForcedRedeliveries = 0);
