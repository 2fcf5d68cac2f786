using System.Diagnostics;
using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>The headers of what the topology writes: the request's trace context (or the routing span) and x-event-id.</summary>
public sealed class OutputHeadersTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void channel_messages_carry_the_requests_trace_context_and_event_id()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-trace");
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        h.Send(Request("u-trace", "evt-trace-01", Channels.Sms), traceparent);

        var sms = Assert.Single(Drain(h.Sms));
        Assert.Equal(traceparent, Header(sms.Message.Headers, HeaderNames.TraceParent));
        Assert.Equal("evt-trace-01", Header(sms.Message.Headers, HeaderNames.EventId));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void with_tracing_on_the_routing_span_is_a_child_of_the_request_and_parent_of_the_message()
    {
        // Listeners are process-wide: record only this test's trace, so tests running alongside see no span.
        const string traceId = "5c2e8f0b9a1d4e6f8a7b3c2d1e0f9a8b";
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProcessorMetrics.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> o) => o.Parent.TraceId.ToHexString() == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
        using var h = new TopologyHarness(fx);
        h.User("u-span");

        h.Send(Request("u-span", "evt-span-001", Channels.Sms), $"00-{traceId}-00f067aa0ba902b7-01");

        var traceparent = Header(Assert.Single(Drain(h.Sms)).Message.Headers, HeaderNames.TraceParent);
        Assert.StartsWith($"00-{traceId}-", traceparent); // same trace
        Assert.DoesNotContain("00f067aa0ba902b7", traceparent); // the topology's own span
    }
}
