using System.Text;
using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class MalformedInputTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
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
    [Fact(Timeout = TestLimits.TimeoutMs)]
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
    [Fact(Timeout = TestLimits.TimeoutMs)]
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

public sealed class PipelinedOutcomeTests(LocalStackFixture fx)
{
    /// <summary>Holds back the log row of one event until released; everything else passes straight through.</summary>
    private sealed class HeldLog(IDeliveryLog inner, string heldEventId) : IDeliveryLog
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Holding;

        public void Release() => release.TrySetResult();

        public async Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default)
        {
            if (entry.EventId == heldEventId)
            {
                Holding = true;
                await release.Task.WaitAsync(cancellationToken);
            }

            await inner.AppendAsync(entry, cancellationToken);
        }

        public Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default)
            => inner.WasDeliveredAsync(eventId, channel, target, cancellationToken);

        public Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default) => inner.ReadAsync(eventId, cancellationToken);

        public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the harness disposes the inner log
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_lane_sends_its_next_record_while_the_last_outcome_is_written_and_a_repeat_of_that_delivery_is_skipped()
    {
        HeldLog? held = null;
        var first = SenderHarness.Notification(Channels.Email, "first@example.com", user: "user-lane");
        await using var h = await SenderHarness.StartAsync(fx, Channels.Email, configure: o => o.Lanes = 1,
            wrapLog: log => held = new HeldLog(log, first.eventId));
        var repeat = SenderHarness.Notification(Channels.Email, first.target, eventId: first.eventId, user: first.userId);
        var next = SenderHarness.Notification(Channels.Email, "next@example.com", user: first.userId);

        await h.ProduceAsync(first, repeat, next);

        // One lane, one user: "next" reaches the provider while the first delivery's log row is still held, and the
        // repeat of the first event is recognised as delivered although no log row says so yet.
        await Eventually.TrueAsync(() => h.Fakes.Requests.Any(r => r.EventId == next.eventId), TimeSpan.FromSeconds(30), "the next record sent while the first outcome is held");
        await h.WaitAsync(s => s.DuplicatesSkipped == 1 && s.Delivered == 1, "the repeat skipped, the next delivered");
        Assert.True(held!.Holding);
        Assert.Single(h.Fakes.Requests, r => r.EventId == first.eventId);

        held.Release();
        await h.WaitAsync(s => s.Delivered == 2, "the held outcome written");
        var outcomes = await h.FinalOutcomesAsync();
        Assert.Equal(new[] { first.eventId, next.eventId }.Order(), outcomes.Select(o => o.EventId).Order());
    }
}
