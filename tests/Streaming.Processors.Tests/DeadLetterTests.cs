using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Testing;
using static Streaming.Processors.Tests.TopologyHarness;

namespace Streaming.Processors.Tests;

/// <summary>Requests the topology cannot route go to the DLQ with their original bytes, reason and stage.</summary>
public sealed class DeadLetterTests(LocalStackFixture fx)
{
    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData("unknown-category")]
    [InlineData("invalid-priority")]
    [InlineData("unknown-channel")]
    [InlineData("invalid-event-id")]
    [InlineData("key-mismatch")]
    [InlineData("template-category-mismatch")]
    public void invalid_requests_are_dead_lettered_at_validation_with_their_reason(string reason)
    {
        using var h = new TopologyHarness(fx);
        h.User("u-valid");
        var request = Request("u-valid", "evt-valid-01", Channels.Email);
        var key = "u-valid";
        switch (reason)
        {
            case "unknown-category": request.category = "gossip"; break;
            case "invalid-priority": request.priority = "urgent!"; break;
            case "unknown-channel": request.channels = ["pigeon"]; break;
            case "invalid-event-id": request.eventId = "bad id"; break;
            case "key-mismatch": key = "someone-else"; break;
            case "template-category-mismatch": request.templateId = "login-alert"; break;
        }

        h.Send(Encoding.UTF8.GetBytes(key), request);

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal((reason, "validate"), (Header(dead.Message.Headers, HeaderNames.DlqReason), Header(dead.Message.Headers, HeaderNames.DlqStage)));
        Assert.Empty(Drain(h.Email));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void poison_bytes_go_to_the_dlq_with_reason_and_the_next_record_is_still_processed()
    {
        var counted = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ProcessorMetrics.MeterName && i.Name == ProcessorMetrics.DeadLettered)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
        {
            if (tags.ToArray().Any(t => t is { Key: "reason", Value: "deserialization-failed" }))
            {
                Interlocked.Add(ref counted, v);
            }
        });
        listener.Start();
        using var h = new TopologyHarness(fx);
        h.User("u-poison");

        h.RawRequests.PipeInput(Encoding.UTF8.GetBytes("u-poison"), [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01], new Headers { { "x-custom", [1] } });
        h.Send(Request("u-poison", "evt-after-poison", Channels.Email));

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01], dead.Message.Value);
        Assert.Equal("u-poison", Encoding.UTF8.GetString(dead.Message.Key));
        Assert.Equal("deserialization-failed", Header(dead.Message.Headers, HeaderNames.DlqReason));
        Assert.Equal("validate", Header(dead.Message.Headers, HeaderNames.DlqStage));
        Assert.Equal(Topics.Requested, Header(dead.Message.Headers, HeaderNames.OriginalTopic));
        Assert.Equal("0", Header(dead.Message.Headers, HeaderNames.OriginalOffset));
        Assert.NotNull(dead.Message.Headers.GetLastBytes(HeaderNames.OriginalPartition));
        Assert.Equal([1], dead.Message.Headers.GetLastBytes("x-custom")); // original headers kept
        Assert.Equal("evt-after-poison", Assert.Single(Drain(h.Email)).Message.Value.eventId);
        listener.RecordObservableInstruments();
        Assert.True(Interlocked.Read(ref counted) >= 1);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void unknown_user_goes_to_the_dlq_as_unknown_recipient_with_a_status()
    {
        using var h = new TopologyHarness(fx);

        h.Send(Request("u-nobody", "evt-nobody-1", Channels.Email));

        var dead = Assert.Single(h.Dlq.ReadKeyValueList());
        Assert.Equal("unknown-recipient", Header(dead.Message.Headers, HeaderNames.DlqReason));
        Assert.Equal("enrich", Header(dead.Message.Headers, HeaderNames.DlqStage));
        Assert.Equal("evt-nobody-1", Header(dead.Message.Headers, HeaderNames.EventId));
        var status = Assert.Single(Drain(h.Statuses)).Message.Value;
        Assert.Equal(("dead_lettered", "unknown-recipient", "none"), (status.outcome, status.reason, status.channel));
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void unknown_template_and_missing_address_are_dead_lettered_with_their_reason()
    {
        using var h = new TopologyHarness(fx);
        h.User("u-invalid", phone: null);
        var unknownTemplate = Request("u-invalid", "evt-invalid-1", Channels.Email);
        unknownTemplate.templateId = "no-such-template";

        h.Send(unknownTemplate);
        h.Send(Request("u-invalid", "evt-invalid-2", Channels.Sms));

        var reasons = h.Dlq.ReadKeyValueList().Select(r => Header(r.Message.Headers, HeaderNames.DlqReason)).ToList();
        Assert.Equal(["unknown-template", "no-recipient-address"], reasons);
    }
}
