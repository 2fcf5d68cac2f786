using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class CrashTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_sender_killed_mid_batch_and_restarted_leaves_one_final_outcome_per_message_and_no_duplicate_sends()
    {
        const int count = 200;
        await using var h = await SenderHarness.StartAsync(fx, Channels.Apns, "latency=20ms", o =>
        {
            o.Lanes = 8;
            o.Consumer.AutoCommitIntervalMs = 500;
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => SenderHarness.Notification(Channels.Apns, $"token-{i:D4}-aaaaaaaaaaaa", user: $"crash-user-{i % 50}"))
            .ToArray();
        await h.ProduceAsync(notifications);

        await h.WaitAsync(s => s.Delivered >= 60, "a third delivered before the crash");
        var first = h.Sender;
        await first.AbortAsync(); // no drain, no further offset store or commit
        await first.DisposeAsync();
        var beforeCrash = first.Stats.Delivered;
        Assert.True(beforeCrash < count, "the crash must happen mid-batch");

        await h.StartSenderAsync(); // same group, same log: resumes from the last commit
        await Eventually.TrueAsync(async () => (await h.FinalOutcomesAsync()).Count >= count, TimeSpan.FromSeconds(60), "every message has an outcome");

        var finals = await h.FinalOutcomesAsync();
        Assert.Equal(count, finals.Count);
        Assert.All(finals.GroupBy(f => f.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.Equal(notifications.Select(n => n.eventId).Order(), finals.Select(f => f.EventId).Order());
        Assert.Equal(0, h.Fakes.Duplicates);
        Assert.Equal(count, h.Fakes.Delivered(Channels.Apns));
        // The restarted sender really got redelivered records that had been delivered but not committed, and skipped them.
        Assert.True(h.Sender.Stats.DuplicatesSkipped > 0, "no redelivered record reached the log check");
    }
}

public sealed class OutageTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task provider_outage_then_recovery_loses_nothing_backs_off_and_opens_then_closes_the_circuit()
    {
        const int count = 30;
        await using var h = await SenderHarness.StartAsync(fx, Channels.Sms, "outage=on", o =>
        {
            o.Lanes = 4;
            o.RetryDelays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];
            o.BreakerMinimumThroughput = 5;
            o.BreakerFailureRatio = 0.5;
            o.BreakerSamplingDuration = TimeSpan.FromSeconds(2);
            o.BreakerBreakDuration = TimeSpan.FromMilliseconds(500);
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => SenderHarness.Notification(Channels.Sms, $"+49151000{i:D5}", user: $"outage-user-{i}"))
            .ToArray();
        await h.ProduceAsync(notifications);

        // Open, a failed half-open probe, open again: the outage lasts at least one break duration.
        await h.WaitAsync(s => s.CircuitOpened >= 2 && s.Retried >= 1, "the circuit opened (twice) during the outage", 60);
        var callsDuringOutage = h.Fakes.RequestCount;
        h.Fakes.SetOutage(false);
        await h.WaitAsync(s => s.Delivered == count, "everything delivered after recovery", 60);

        var stats = h.Sender.Stats;
        Assert.True(stats.CircuitClosed >= 1, "the circuit closed again");
        Assert.Equal(0, stats.DeadLettered);
        // While open the circuit kept calls away from the provider: far fewer calls than messages x in-place attempts.
        Assert.True(callsDuringOutage < count * 2, $"{callsDuringOutage} calls reached the provider during the outage");
        var log = await h.Log.ReadAllAsync(TestContext.Current.CancellationToken);
        Assert.All(log.Where(e => e.Outcome != "retrying").GroupBy(e => e.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.Equal(count, log.Count(e => e.Outcome == "delivered"));
        Assert.Equal(0, h.Fakes.Duplicates);

        // Backoff: after each hand-off to the retry topic, the provider saw that event again no earlier than the tier's delay.
        var requests = h.Fakes.Requests;
        foreach (var retrying in log.Where(e => e.Outcome == "retrying"))
        {
            var delay = h.Options.RetryDelays[retrying.Attempt - 1];
            var next = requests.Where(r => r.EventId == retrying.EventId && r.At > retrying.OccurredAt.AddMilliseconds(5)).MinBy(r => r.At);
            Assert.NotNull(next);
            Assert.True(next.At - retrying.OccurredAt >= delay - TimeSpan.FromMilliseconds(30),
                $"attempt {retrying.Attempt + 1} of {retrying.EventId} came {(next.At - retrying.OccurredAt).TotalMilliseconds} ms after the hand-off; tier is {delay.TotalMilliseconds} ms");
        }
    }
}

public sealed class GracefulStopTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_graceful_stop_mid_batch_drains_what_was_fetched_and_commits_exactly_so_a_restart_redelivers_nothing()
    {
        const int count = 200;
        await using var h = await SenderHarness.StartAsync(fx, Channels.Fcm, "latency=20ms", o =>
        {
            o.Lanes = 8;
            o.MaxInFlight = 20;     // backpressure: only a small batch is fetched at a time, so the stop lands mid-stream
            o.RatePerSecond = 100;
            o.Consumer.AutoCommitIntervalMs = 60_000; // only the stop's own commit counts
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => SenderHarness.Notification(Channels.Fcm, $"graceful-token-{i:D4}", user: $"graceful-user-{i % 40}"))
            .ToArray();
        await h.ProduceAsync(notifications);

        await h.WaitAsync(s => s.Delivered >= 40, "some delivered before the stop");
        var first = h.Sender;
        await first.StopAsync(TestContext.Current.CancellationToken);
        await first.DisposeAsync();

        Assert.InRange(first.Stats.Delivered, 40, count - 1);
        // The commit lands exactly after the finished records: nothing finished is left for a restart to redeliver.
        Assert.Equal(first.Stats.Delivered, CommittedRecords(h.Options.GroupId!, h.Options.Topic!));

        await h.StartSenderAsync();
        await Eventually.TrueAsync(async () => (await h.FinalOutcomesAsync()).Count >= count, TimeSpan.FromSeconds(60), "every message has an outcome");

        Assert.All((await h.FinalOutcomesAsync()).GroupBy(f => f.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.Equal(0, h.Fakes.Duplicates);
    }

    private long CommittedRecords(string groupId, string topic)
    {
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig { BootstrapServers = fx.BootstrapServers, GroupId = groupId }).Build();
        var partitions = Enumerable.Range(0, Streaming.LocalStack.LocalKafkaCluster.PartitionsPerTopic).Select(p => new Confluent.Kafka.TopicPartition(topic, p));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(o => Math.Max(0, o.Offset.Value));
    }
}
