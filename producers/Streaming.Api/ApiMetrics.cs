using System.Diagnostics.Metrics;

namespace Streaming.Api;

/// <summary>Instruments of the API (meter "Streaming.Api"); exported by every host's telemetry setup.</summary>
internal static class ApiMetrics
{
    public const string MeterName = "Streaming.Api";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Requests by outcome (accepted, duplicate, rejected, failed) and stable error code.</summary>
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("streaming.api.requests", "{request}", "Notification API requests by outcome and code.");

    /// <summary>Delivery log calls that failed, by operation (append_accepted, read_status).</summary>
    private static readonly Counter<long> LogErrors = Meter.CreateCounter<long>("streaming.api.delivery_log.errors", "{error}", "Delivery log calls of the API that failed.");

    public static void LogError(string operation) => LogErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public static void Accepted(bool duplicate) => Requests.Add(1, new KeyValuePair<string, object?>("outcome", duplicate ? "duplicate" : "accepted"), new KeyValuePair<string, object?>("code", "none"));

    public static void Rejected(int status, string code) => Requests.Add(1,
        new KeyValuePair<string, object?>("outcome", status >= 500 ? "failed" : "rejected"),
        new KeyValuePair<string, object?>("code", code));
}
