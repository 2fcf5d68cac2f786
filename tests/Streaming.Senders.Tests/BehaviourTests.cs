using System.Text;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class MalformedInputTests(LocalStackFixture fx)
{
    [Fact]
    public async Task malformed_record_is_dead_lettered_with_its_reason_and_the_partition_keeps_flowing_and_traces_continue()
    {
        await using var h = await SenderHarness.StartAsync(fx, Channels.Sms);
        var good = SenderHarness.Notification(Channels.Sms, "+4915112345678", user: "same-user");

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
    }
}

public sealed class RetriesExhaustedTests(LocalStackFixture fx)
{
    [Fact]
    public async Task transient_failures_past_the_last_retry_tier_are_dead_lettered_with_a_status()
    {
        await using var h = await SenderHarness.StartAsync(fx, Channels.Email, "error=1", o => o.RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)]);
        var n = SenderHarness.Notification(Channels.Email, "down@example.com");

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

public sealed class AlreadyDeliveredTests(LocalStackFixture fx)
{
    [Fact]
    public async Task a_redelivered_record_already_delivered_per_the_log_is_skipped_without_calling_the_provider()
    {
        await using var h = await SenderHarness.StartAsync(fx, Channels.Fcm);
        var n = SenderHarness.Notification(Channels.Fcm, "fcm-token-dup");
        await h.Log.AppendAsync(new DeliveryLogEntry(n.eventId, n.channel, n.target, "delivered", 1, n.userId, OccurredAt: DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        var other = SenderHarness.Notification(Channels.Fcm, "fcm-token-new", user: n.userId);

        await h.ProduceAsync(n, other);
        await h.WaitAsync(s => s.DuplicatesSkipped == 1 && s.Delivered == 1, "one skipped, one delivered");

        Assert.DoesNotContain(h.Fakes.Requests, r => r.EventId == n.eventId);
        Assert.Single(h.Statuses(1)); // only the new one: a skip writes no second outcome
    }
}
