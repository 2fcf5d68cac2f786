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
        await using var h = await SenderRig.StartAsync(fx, Channels.Email, "latency=5ms", o =>
        {
            o.Lanes = 4;
            o.Consumer.PartitionAssignmentStrategy = strategy;
            o.RatePerSecond = 60; // slow enough that work is still running and queued when the second member joins (~3 s)
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => TestNotifications.For(Channels.Email, $"user{i}@example.com", user: $"rebalance-user-{i % 60}"))
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
