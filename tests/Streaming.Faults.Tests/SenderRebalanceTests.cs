using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// Fault 3: the group of a channel rebalances twice while provider calls are in flight: a second instance joins, then
/// the first one leaves. (Streaming.Senders.Tests covers one join on a pre-produced batch; here traffic keeps flowing
/// through both hand-overs, the provider is slow enough that every lane is busy, and each assignor is tried.)
/// </summary>
public sealed class SenderRebalanceTests(LocalStackFixture fx)
{
    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData(PartitionAssignmentStrategy.Range)]
    [InlineData(PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task a_second_instance_joining_and_the_first_leaving_under_load_leave_one_outcome_per_message_and_no_duplicate_send(PartitionAssignmentStrategy strategy)
    {
        // Traffic flows until 3 s after the first instance left, however long the joins take on a loaded machine (at most
        // 6 000 messages, ~50 s).
        const int max = 6000;
        const double rate = 120;
        var ct = TestContext.Current.CancellationToken;
        using var stopTraffic = new CancellationTokenSource();
        await using var rig = await SenderRig.CreateAsync(fx, Channels.Email, "latency=50ms", o =>
        {
            o.Lanes = 16; // ~6 calls in flight at 120/s and 50 ms: the hand-overs land mid-batch
            o.Consumer.PartitionAssignmentStrategy = strategy;
        });
        var first = await rig.StartSenderAsync();
        await first.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var traffic = rig.RunTrafficAsync(max, rate, "rebalance", stopTraffic.Token);

        await Eventually.TrueAsync(() => first.Stats.Delivered >= 100, TimeSpan.FromSeconds(30), "the first instance is delivering");
        var second = await rig.StartSenderAsync();
        await second.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var joinedAt = rig.Published.Count;
        // Range splits both topics, so the second instance soon delivers. Cooperative-sticky keeps the first instance's
        // partitions where they are by count, not by topic: on the join it moved the four (empty) retry partitions and kept
        // every channel partition on the first instance, so there the join is over once its second round is (~5 s later).
        await Eventually.TrueAsync(
            () => strategy == PartitionAssignmentStrategy.Range ? second.Stats.Delivered >= 100 : rig.Published.Count >= joinedAt + 600,
            TimeSpan.FromSeconds(30), "the join rebalance is over and the traffic flows");
        var publishedAtLeave = rig.Published.Count;
        Assert.True(publishedAtLeave < max, "the first instance must leave while traffic still flows");
        await first.StopAsync(ct); // graceful: finishes what it fetched, commits, leaves; the second takes every partition
        var firstDelivered = first.Stats.Delivered;
        var leftAt = rig.Published.Count;
        await Eventually.TrueAsync(() => rig.Published.Count >= Math.Min(leftAt + 360, max), TimeSpan.FromSeconds(30), "traffic goes on after the leave");
        await stopTraffic.CancelAsync();

        await traffic.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var count = rig.Published.Count;
        await rig.WaitForAllOutcomesAsync(TimeSpan.FromSeconds(40));
        var account = await rig.AccountAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{strategy}: {count} at {rate}/s, provider latency 50 ms; first left after {publishedAtLeave}: first delivered {firstDelivered}, second {second.Stats.Delivered} (redelivered and skipped by the log check: {second.Stats.DuplicatesSkipped}); {account}");
        Assert.Equal(count, account.Published);
        Assert.Equal(0, account.Lost);
        Assert.Equal(0, account.DoubleFinalOutcomes);
        Assert.Equal(count, firstDelivered + second.Stats.Delivered); // each message finished by exactly one instance
        Assert.True(second.Stats.Delivered > publishedAtLeave - firstDelivered, "the second instance did not take over the first one's partitions");
        Assert.Equal(0, account.ProviderDuplicates); // no crash: a cooperative hand-over commits what it finished
    }
}
