using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>The trace context of "route": a span per request, and the headers every record derived from a request carries.</summary>
internal static class RouteTrace
{
    /// <summary>A span child of the request's traceparent; null (and free) when nobody listens.</summary>
    public static Activity? StartSpan(Headers headers, string name)
        => ProcessorMetrics.ActivitySource.StartActivity($"notification.{name}", ActivityKind.Consumer, TraceContext.Extract(headers));

    /// <summary>
    /// Headers of a derived record: the trace context and source of the request, plus x-event-id. When the routing span
    /// is recorded, traceparent names it, so the sender's span becomes its child.
    /// </summary>
    public static Headers Derive(Headers input, string eventId)
    {
        var headers = new Headers();
        foreach (var name in HeldRequest.PropagatedHeaders)
        {
            if (input.TryGetLastBytes(name, out var value))
            {
                headers.Add(name, value);
            }
        }

        if (Activity.Current is { Source.Name: ProcessorMetrics.MeterName } span)
        {
            TraceContext.Inject(span, headers);
        }

        headers.Add(HeaderNames.EventId, Encoding.UTF8.GetBytes(eventId));
        return headers;
    }
}
