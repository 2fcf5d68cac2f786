using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Streaming.Cql;

/// <summary>
/// Meter "Streaming.Cql": requests sent (by opcode), errors (by error code or client-side kind), retries (by
/// decision), transparent re-prepares, requests in flight, and host state changes (by state).
/// </summary>
public static class CqlMetrics
{
    public const string MeterName = "Streaming.Cql";

    public const string Requests = "streaming.cql.requests";
    public const string Errors = "streaming.cql.errors";
    public const string Retries = "streaming.cql.retries";
    public const string Reprepares = "streaming.cql.reprepares";
    public const string InFlight = "streaming.cql.in_flight";
    public const string HostStateChanges = "streaming.cql.host_state_changes";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RequestCounter = Meter.CreateCounter<long>(Requests, "{request}", "Requests sent to a host, by opcode (each attempt counts).");
    private static readonly Counter<long> ErrorCounter = Meter.CreateCounter<long>(Errors, "{error}", "Failed attempts, by server error code or client-side kind (timeout, connection_closed).");
    private static readonly Counter<long> RetryCounter = Meter.CreateCounter<long>(Retries, "{retry}", "Attempts retried, by decision (same_host, next_host).");
    private static readonly Counter<long> ReprepareCounter = Meter.CreateCounter<long>(Reprepares, "{prepare}", "Statements re-prepared after a host answered UNPREPARED.");
    private static readonly UpDownCounter<long> InFlightCounter = Meter.CreateUpDownCounter<long>(InFlight, "{request}", "Attempts sent and not yet answered.");
    private static readonly Counter<long> HostStateCounter = Meter.CreateCounter<long>(HostStateChanges, "{change}", "Hosts marked up or down.");

    internal static void RequestStarted(string opcode)
    {
        RequestCounter.Add(1, new KeyValuePair<string, object?>("opcode", opcode));
        InFlightCounter.Add(1);
    }

    internal static void RequestEnded() => InFlightCounter.Add(-1);

    internal static void Error(string kind) => ErrorCounter.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal static void Retry(string decision) => RetryCounter.Add(1, new KeyValuePair<string, object?>("decision", decision));

    internal static void Reprepare() => ReprepareCounter.Add(1);

    internal static void HostState(bool up) => HostStateCounter.Add(1, new TagList { { "state", up ? "up" : "down" } });
}
