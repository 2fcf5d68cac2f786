using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class CooperativeStopTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task members_of_a_cooperative_sticky_group_stopped_together_close_without_hanging_and_lose_nothing()
    {
        // Each round: two members share the group and its traffic, then both stop at once, so each one's close
        // (which revokes its partitions through the rebalance callback) runs while the other's leave rebalances the
        // group. A synchronous commit from that callback inside close can wait forever for its reply; a hung close is
        // abandoned after CloseTimeout, which this test must never need.
        const int rounds = 4, perRound = 60;
        await using var h = await SenderRig.StartAsync(fx, Channels.Email, "latency=2ms", o =>
        {
            o.Lanes = 2;
            o.Consumer.PartitionAssignmentStrategy = Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky;
            o.RatePerSecond = 100; // records still running and queued when the stop comes
            o.DrainTimeout = TimeSpan.FromSeconds(5);
            o.CloseTimeout = TimeSpan.FromSeconds(20);
        });
        var notifications = Enumerable.Range(0, rounds * perRound)
            .Select(i => TestNotifications.For(Channels.Email, $"coop{i}@example.com", user: $"coop-user-{i % 40}"))
            .ToArray();
        var first = h.Sender;
        var stops = new List<TimeSpan>();
        for (var round = 0; round < rounds; round++)
        {
            if (round > 0)
            {
                await h.StartSenderAsync();
                first = h.Sender;
            }

            await using var second = new ChannelSender(h.Options, h.Providers, h.Log);
            await second.StartAsync(TestContext.Current.CancellationToken);
            await h.ProduceAsync(notifications[(round * perRound)..((round + 1) * perRound)]);
            await second.Assigned.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await first.Assigned.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            var delivered = first.Stats.Delivered + second.Stats.Delivered;
            await Eventually.TrueAsync(() => first.Stats.Delivered + second.Stats.Delivered > delivered + 10, TimeSpan.FromSeconds(30), "deliveries under way");

            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(first.StopAsync(TestContext.Current.CancellationToken), second.StopAsync(TestContext.Current.CancellationToken));
            stops.Add(clock.Elapsed);
            Assert.Equal(0, first.AbandonedTeardowns + second.AbandonedTeardowns);
            await first.DisposeAsync();
        }

        // What the stopped members left is finished by one more member: every message exactly once.
        await h.StartSenderAsync();
        await Eventually.TrueAsync(async () => (await h.FinalOutcomesAsync()).Count >= notifications.Length, TimeSpan.FromSeconds(60), "every message has an outcome");
        var finals = await h.FinalOutcomesAsync();
        Assert.Equal(notifications.Length, finals.Count);
        Assert.All(finals.GroupBy(f => f.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.Equal(0, h.Fakes.Duplicates);
        Assert.All(stops, s => Assert.True(s < TimeSpan.FromSeconds(20), $"a stop took {s.TotalSeconds:F1} s"));
    }
}
