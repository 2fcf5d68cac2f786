using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Streaming.Contracts;

/// <summary>W3C trace context in Kafka headers, so one trace follows a notification across processes.</summary>
public static class TraceContext
{
    /// <summary>Writes traceparent (and tracestate) of <paramref name="activity"/> into <paramref name="headers"/>; does nothing without an activity.</summary>
    public static void Inject(Activity? activity, Headers headers)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return;
        }

        headers.Remove(HeaderNames.TraceParent);
        headers.Add(HeaderNames.TraceParent, Encoding.ASCII.GetBytes(activity.Id!));
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.Remove(HeaderNames.TraceState);
            headers.Add(HeaderNames.TraceState, Encoding.ASCII.GetBytes(activity.TraceStateString));
        }
    }

    /// <summary>Reads the parent context from <paramref name="headers"/>; default when absent or malformed.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(HeaderNames.TraceParent, out var bytes))
        {
            return default;
        }

        string? state = headers.TryGetLastBytes(HeaderNames.TraceState, out var s) ? Encoding.ASCII.GetString(s) : null;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(bytes), state, out var ctx) ? ctx : default;
    }
}
