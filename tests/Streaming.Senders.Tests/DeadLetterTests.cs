using System.Text;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class MalformedInputTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task malformed_record_is_dead_lettered_with_its_reason_and_the_partition_keeps_flowing_and_traces_continue()
    {
        await using var h = await SenderRig.StartAsync(fx, Channels.Sms);
        var good = TestNotifications.For(Channels.Sms, "+4915112345678", user: "same-user");

        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        await h.ProduceRawAsync("same-user", Encoding.UTF8.GetBytes("not avro at all"));
        await h.ProduceWithHeadersAsync(good, new Confluent.Kafka.Headers { { HeaderNames.TraceParent, Encoding.ASCII.GetBytes($"00-{traceId}-00f067aa0ba902b7-01") } });
        await h.WaitAsync(s => s.Delivered == 1 && s.DeadLettered == 1, "the bad record dead-lettered and the next one delivered");

        var dlq = Assert.Single(h.Raw(h.Options.DeadLetterTopic!, 1));
        Assert.Equal("same-user", dlq.Message.Key);
        Assert.Equal("not avro at all", Encoding.UTF8.GetString(dlq.Message.Value!));
        Assert.Equal("deserialization-failed", Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(HeaderNames.DlqReason)));
        Assert.Equal("sender-sms", Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(HeaderNames.DlqStage)));
        Assert.Equal(h.Options.Topic, Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(HeaderNames.OriginalTopic)));
        Assert.Equal("delivered", Assert.Single(await h.FinalOutcomesAsync()).Outcome);
        var status = Assert.Single(h.Statuses(1));
        Assert.StartsWith($"00-{traceId}-", Encoding.ASCII.GetString(status.Raw.Message.Headers.GetLastBytes(HeaderNames.TraceParent))); // same trace
        Assert.Equal("true", Encoding.ASCII.GetString(status.Raw.Message.Headers.GetLastBytes(HeaderNames.Logged))); // the recorder passes it over
    }
}

public sealed class RetriesExhaustedTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task transient_failures_past_the_last_retry_tier_are_dead_lettered_with_a_status()
    {
        await using var h = await SenderRig.StartAsync(fx, Channels.Email, "error=1", o => o.RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)]);
        var n = TestNotifications.For(Channels.Email, "down@example.com");

        await h.ProduceAsync(n);
        await h.WaitAsync(s => s.DeadLettered == 1, "dead-lettered after 3 attempts");

        var rows = await h.Log.ReadAsync(n.eventId, TestContext.Current.CancellationToken);
        Assert.Equal(["retrying", "retrying", "dead_lettered"], rows.Select(r => r.Outcome));
        Assert.Equal([1, 2, 3], rows.Select(r => r.Attempt));
        Assert.Equal(6, h.Fakes.Requests.Count(r => r.EventId == n.eventId)); // 3 attempts x (1 call + 1 in-place retry)
        var dlq = Assert.Single(h.Raw(h.Options.DeadLetterTopic!, 1));
        Assert.Equal("retries-exhausted", Encoding.UTF8.GetString(dlq.Message.Headers.GetLastBytes(HeaderNames.DlqReason)));
        Assert.Equal("3", Encoding.ASCII.GetString(dlq.Message.Headers.GetLastBytes(HeaderNames.Attempt)));
        var final = h.Statuses(3).Select(s => s.Value!).Last();
        Assert.Equal(("dead_lettered", "retries-exhausted"), (final.outcome, final.reason));
    }
}
