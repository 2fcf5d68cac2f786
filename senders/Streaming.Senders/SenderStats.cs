namespace Streaming.Senders;

/// <summary>Counts of one sender since it started.</summary>
public sealed record SenderStats(long Delivered, long Failed, long Expired, long Retried, long DeadLettered, long DuplicatesSkipped, long CircuitOpened, long CircuitClosed);
