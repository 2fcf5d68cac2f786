using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Streaming.Processors;

/// <summary>
/// Every metric of the topology, in one place. Meter "Streaming.Processors"; the Prometheus exporter shows the counters
/// as streaming_topology_dlq_total, streaming_topology_duplicates_total, streaming_topology_statuses_total,
/// streaming_topology_routed_total, streaming_topology_released_total, streaming_topology_table_errors_total,
/// streaming_topology_requests_total, streaming_topology_restarts_total and the histogram streaming_topology_routing_latency_milliseconds.
/// </summary>
public static class ProcessorMetrics
{
    public const string MeterName = "Streaming.Processors";

    public const string DeadLettered = "streaming.topology.dlq";
    public const string Duplicates = "streaming.topology.duplicates";
    public const string Statuses = "streaming.topology.statuses";
    public const string Routed = "streaming.topology.routed";
    public const string Released = "streaming.topology.released";
    public const string TableErrors = "streaming.topology.table_errors";
    public const string RequestsRead = "streaming.topology.requests";
    public const string RoutingLatency = "streaming.topology.routing.latency";
    public const string Restarts = "streaming.topology.restarts";

    /// <summary>Spans of the routing step, children of the request's trace context (traceparent header).</summary>
    public static readonly ActivitySource ActivitySource = new(MeterName);

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> DlqCounter = Meter.CreateCounter<long>(DeadLettered, "{record}", "Requests sent to notifications.dlq, by reason and stage.");
    private static readonly Counter<long> DuplicateCounter = Meter.CreateCounter<long>(Duplicates, "{request}", "Requests dropped because their eventId was seen within the dedup horizon.");
    private static readonly Counter<long> StatusCounter = Meter.CreateCounter<long>(Statuses, "{status}", "DeliveryStatus records the topology emitted, by outcome and reason.");
    private static readonly Counter<long> RoutedCounter = Meter.CreateCounter<long>(Routed, "{message}", "Channel messages emitted, by channel.");
    private static readonly Counter<long> ReleasedCounter = Meter.CreateCounter<long>(Released, "{request}", "Held requests released by the punctuator, by why they were held.");
    private static readonly Counter<long> RequestCounter = Meter.CreateCounter<long>(RequestsRead, "{record}", "Records read from notifications.requested (including poison ones).");
    private static readonly Histogram<double> LatencyHistogram = Meter.CreateHistogram<double>(RoutingLatency, "ms", "From the request's createdAt to the emission of its channel message.");
    private static readonly Counter<long> RestartCounter = Meter.CreateCounter<long>(Restarts, "{restart}", "Topology instances replaced: by the stall watchdog (stream threads that stopped polling while RUNNING) or after going into ERROR.");
    private static readonly Counter<long> TableErrorCounter = Meter.CreateCounter<long>(TableErrors, "{record}", "Undeserializable records on the contact tables, by topic.");

    internal static void DeadLetter(string reason, string stage)
        => DlqCounter.Add(1, new TagList { { "reason", reason }, { "stage", stage } });

    internal static void Duplicate() => DuplicateCounter.Add(1);

    internal static void Status(string outcome, string? reason)
        => StatusCounter.Add(1, new TagList { { "outcome", outcome }, { "reason", reason ?? "none" } });

    internal static void Request() => RequestCounter.Add(1);

    internal static void Route(string channel, double latencyMs)
    {
        var tag = new KeyValuePair<string, object?>("channel", channel);
        RoutedCounter.Add(1, tag);
        LatencyHistogram.Record(Math.Max(0, latencyMs), tag);
    }

    internal static void Release(string kind) => ReleasedCounter.Add(1, new KeyValuePair<string, object?>("held", kind));

    internal static void Restart() => RestartCounter.Add(1);

    internal static void TableError(string topic) => TableErrorCounter.Add(1, new KeyValuePair<string, object?>("topic", topic));
}
