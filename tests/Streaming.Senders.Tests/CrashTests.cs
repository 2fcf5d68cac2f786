using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class CrashTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_sender_killed_mid_batch_and_restarted_leaves_one_final_outcome_per_message_and_no_duplicate_sends()
    {
        const int count = 200;
        await using var h = await SenderRig.StartAsync(fx, Channels.Apns, "latency=20ms", o =>
        {
            o.Lanes = 8;
            o.Consumer.AutoCommitIntervalMs = 500;
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => TestNotifications.For(Channels.Apns, $"token-{i:D4}-aaaaaaaaaaaa", user: $"crash-user-{i % 50}"))
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
