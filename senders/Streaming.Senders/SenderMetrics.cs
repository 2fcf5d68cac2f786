using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Streaming.Senders;

/// <summary>Every instrument of the senders, on the Meter "Streaming.Senders"; the names live here and nowhere else.</summary>
public static class SenderMetrics
{
    public const string MeterName = "Streaming.Senders";
    public const string Deliveries = "streaming.senders.deliveries";
    public const string ProviderDuration = "streaming.senders.provider.duration";
    public const string EndToEndDuration = "streaming.senders.end_to_end.duration";
    public const string Retries = "streaming.senders.retries";
    public const string DeadLetters = "streaming.senders.dead_letters";
    public const string DuplicatesSkipped = "streaming.senders.duplicates_skipped";
    public const string CircuitTransitions = "streaming.senders.circuit.transitions";
    public const string ForcedRedeliveries = "streaming.senders.forced_redeliveries";
    public const string StatusesRecorded = "streaming.senders.statuses_recorded";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Spans of the senders ("notification.send.&lt;channel&gt;"), children of the traceparent on the channel record.</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    /// <summary>Tags: channel, provider, outcome (delivered, failed, expired, retrying, dead_lettered).</summary>
    internal static readonly Counter<long> DeliveriesCounter = Meter.CreateCounter<long>(Deliveries, "{outcome}", "Outcomes by channel, provider and outcome.");

    /// <summary>Tags: channel, provider, result (delivered, transient, permanent, invalid_target).</summary>
    internal static readonly Histogram<double> ProviderDurationHistogram = Meter.CreateHistogram<double>(ProviderDuration, "ms", "Latency of one provider call.");

    internal static readonly Histogram<double> EndToEndHistogram = Meter.CreateHistogram<double>(EndToEndDuration, "ms", "From the request's createdAt to delivered.");

    /// <summary>Tags: channel, kind (in_place, topic).</summary>
    internal static readonly Counter<long> RetriesCounter = Meter.CreateCounter<long>(Retries, "{retry}", "In-place and retry-topic retries.");

    /// <summary>Tags: channel, reason.</summary>
    internal static readonly Counter<long> DeadLettersCounter = Meter.CreateCounter<long>(DeadLetters, "{record}", "Records sent to notifications.dlq.");

    internal static readonly Counter<long> DuplicatesSkippedCounter = Meter.CreateCounter<long>(DuplicatesSkipped, "{record}", "Redelivered records skipped because the log already has them delivered.");

    internal static readonly Counter<long> ForcedRedeliveriesCounter = Meter.CreateCounter<long>(ForcedRedeliveries, "{record}", "Re-published records sent past the delivery-log check because a replay was run with --force.");

    /// <summary>Tags: outcome. The topology's statuses the status recorder appended to the delivery log.</summary>
    internal static readonly Counter<long> StatusesRecordedCounter = Meter.CreateCounter<long>(StatusesRecorded, "{status}", "Statuses no sender logged itself, appended to the delivery log by the status recorder.");

    /// <summary>Tags: channel, provider, state (open, half_open, closed).</summary>
    internal static readonly Counter<long> CircuitTransitionsCounter = Meter.CreateCounter<long>(CircuitTransitions, "{transition}", "Circuit breaker state changes.");
}
