using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class RebalanceTests(LocalStackFixture fx)
{
    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData(Confluent.Kafka.PartitionAssignmentStrategy.Range)]
    [InlineData(Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task a_second_instance_joining_mid_stream_takes_partitions_without_losing_or_doubling_a_message(Confluent.Kafka.PartitionAssignmentStrategy strategy)
    {
        const int first = 400, later = 100, count = first + later;
        await using var h = await SenderHarness.StartAsync(fx, Channels.Email, "latency=5ms", o =>
        {
            o.Lanes = 4;
            o.Consumer.PartitionAssignmentStrategy = strategy;
            o.RatePerSecond = 60; // slow enough that work is still running and queued when the second member joins (~3 s)
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => SenderHarness.Notification(Channels.Email, $"user{i}@example.com", user: $"rebalance-user-{i % 60}"))
            .ToArray();
        await h.ProduceAsync(notifications[..first]);
        await h.WaitAsync(s => s.Delivered >= 50, "the first instance is delivering");

        // Same group, same log: the group rebalances while the first instance has records running and queued.
        await using var second = new ChannelSender(h.Options, h.Providers, h.Log);
        await second.StartAsync(TestContext.Current.CancellationToken);

        // A loaded machine can take longer to join than the first instance needs for the rest of the backlog: more
        // traffic after the join keeps the newcomer's partitions (and, with range, its deliveries) from being empty.
        await second.Assigned.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await h.ProduceAsync(notifications[first..]);
        await Eventually.TrueAsync(async () => (await h.FinalOutcomesAsync()).Count >= count, TimeSpan.FromSeconds(60), "every message has an outcome");

        var finals = await h.FinalOutcomesAsync();
        Assert.Equal(count, finals.Count);
        Assert.All(finals.GroupBy(f => f.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.True(second.Assigned.IsCompleted, "the second instance never got a partition");
        if (strategy == Confluent.Kafka.PartitionAssignmentStrategy.Range)
        {
            // Range splits each topic, so the newcomer gets channel partitions; cooperative-sticky balances by count over
            // both topics and may hand it only the (idle) retry partitions.
            Assert.True(second.Stats.Delivered > 0, "the second instance got no channel partition");
        }
        Assert.Equal(0, h.Fakes.Duplicates);
        Assert.Equal(count, h.Fakes.Delivered(Channels.Email));
    }
}

public sealed class CooperativeStopTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task members_of_a_cooperative_sticky_group_stopped_together_close_without_hanging_and_lose_nothing()
    {
        // Each round: two members share the group and its traffic, then both stop at once, so each one's close
        // (which revokes its partitions through the rebalance callback) runs while the other's leave rebalances the
        // group. A synchronous commit from that callback inside close once waited forever for a reply (CI lost a run
        // to it); a hung close is abandoned after CloseTimeout, which this test must never need.
        const int rounds = 4, perRound = 60;
        await using var h = await SenderHarness.StartAsync(fx, Channels.Email, "latency=2ms", o =>
        {
            o.Lanes = 2;
            o.Consumer.PartitionAssignmentStrategy = Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky;
            o.RatePerSecond = 100; // records still running and queued when the stop comes
            o.DrainTimeout = TimeSpan.FromSeconds(5);
            o.CloseTimeout = TimeSpan.FromSeconds(20);
        });
        var notifications = Enumerable.Range(0, rounds * perRound)
            .Select(i => SenderHarness.Notification(Channels.Email, $"coop{i}@example.com", user: $"coop-user-{i % 40}"))
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

            await using var second = new ChannelSender(h.Options, h.Providers, h.SenderLog);
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
