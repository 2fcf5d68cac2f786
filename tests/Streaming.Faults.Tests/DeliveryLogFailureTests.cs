using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>Fault 5: the delivery log cannot be written (its disk fails) while traffic flows, then recovers.</summary>
public sealed class DeliveryLogFailureTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_failing_delivery_log_holds_the_offset_before_the_unlogged_message_and_after_recovery_every_message_has_one_outcome()
    {
        const int count = 600;
        const double rate = 100;
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await SenderRig.CreateAsync(fx, Channels.Fcm, "latency=5ms", o => o.Lanes = 8);
        var log = new FailingDeliveryLog(rig.Log);
        var sender = await rig.StartSenderAsync(log);
        await sender.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var traffic = rig.RunTrafficAsync(count, rate, "logfail", ct);

        await Eventually.TrueAsync(() => sender.Stats.Delivered >= 100, TimeSpan.FromSeconds(30), "the sender is delivering");
        log.FailWrites = true;
        var deliveredAtFailure = sender.Stats.Delivered;
        var failedAt = rig.Published.Count;
        // The log stays down for 2.5 s (over ten auto-commit intervals) while traffic goes on (100 more messages, or the
        // rest when a loaded machine let the sender fall that far behind) and outcomes fail to be written.
        var down = System.Diagnostics.Stopwatch.StartNew();
        var until = Math.Min(failedAt + 100, count);
        await Eventually.TrueAsync(() => down.Elapsed >= TimeSpan.FromSeconds(2.5) && rig.Published.Count >= until && log.FailedEvents.Count > 0, TimeSpan.FromSeconds(30), "traffic went on while the log failed");

        // Not acknowledged: on every partition the committed offset is at or before the first message whose outcome could
        // not be logged, however many auto-commits passed since.
        // Failures first, then positions: the sender keeps consuming (and failing) meanwhile, and every message it has
        // consumed was written before the positions are read.
        var failed = log.FailedEvents;
        var positions = rig.Positions();
        var firstUnlogged = failed.Select(id => positions[id]).GroupBy(p => p.Partition).ToDictionary(g => g.Key, g => g.Min(p => p.Offset));
        var committed = rig.CommittedOffsets();
        foreach (var (partition, offset) in firstUnlogged)
        {
            Assert.InRange(committed[partition], 0, offset);
        }

        Assert.True(committed.Values.Sum() > 0, "nothing was committed before the failure: the check above would prove nothing");
        // An outcome that is not durable is not counted as final. Lanes whose write went through just before the failure
        // may still be counting theirs: at most one per lane.
        Assert.InRange(sender.Stats.Delivered - deliveredAtFailure, 0, rig.Options.Lanes);
        var failedAppends = log.FailedAppends;
        var unlogged = log.FailedEvents.Count;
        var downFor = down.Elapsed;
        log.FailWrites = false;

        await traffic.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await rig.WaitForAllOutcomesAsync(TimeSpan.FromSeconds(40));
        // Every message is acknowledged once its outcome is durable: the committed offsets reach the end of the topic.
        await Eventually.TrueAsync(() => rig.CommittedOffsets().Values.Sum() == rig.ChannelRecordCount(), TimeSpan.FromSeconds(20), "offsets committed to the end");
        var account = await rig.AccountAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} at {rate}/s, log down {downFor.TotalSeconds:F1} s after {failedAt}: {failedAppends} failed appends of {unlogged} messages; {account}; skipped {sender.Stats.DuplicatesSkipped}");
        Assert.Equal(count, account.Published);
        Assert.Equal(0, account.Lost);
        Assert.Equal(0, account.DoubleFinalOutcomes);
        Assert.All(await rig.FinalOutcomesAsync(), e => Assert.Equal("delivered", e.Outcome));
        // The bound for "delivered but not logged" is one re-send per message whose row was lost, at most Lanes per
        // crashed instance. Nothing crashed here: the lane holds the message and retries the write until the log is back,
        // so the message is never redelivered and never re-sent.
        Assert.InRange(account.ProviderDuplicates, 0, rig.Options.Lanes);
        Assert.Equal(0, account.ProviderDuplicates);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_delivery_log_that_cannot_be_read_either_delays_messages_but_dead_letters_none()
    {
        const int count = 400;
        const double rate = 100;
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await SenderRig.CreateAsync(fx, Channels.Sms, "latency=5ms", o => o.Lanes = 8);
        var log = new FailingDeliveryLog(rig.Log);
        var sender = await rig.StartSenderAsync(log);
        await sender.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var traffic = rig.RunTrafficAsync(count, rate, "logdown", ct);

        await Eventually.TrueAsync(() => sender.Stats.Delivered >= 50, TimeSpan.FromSeconds(30), "the sender is delivering");
        log.FailReads = true;
        log.FailWrites = true;
        var downAt = rig.Published.Count;
        var down = System.Diagnostics.Stopwatch.StartNew();
        var until = Math.Min(downAt + 100, count);
        await Eventually.TrueAsync(() => down.Elapsed >= TimeSpan.FromSeconds(2) && rig.Published.Count >= until && log.FailedReads > 0, TimeSpan.FromSeconds(30), "traffic went on while the log was down");
        var downFor = down.Elapsed;
        log.FailReads = false;
        log.FailWrites = false;

        await traffic.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await rig.WaitForAllOutcomesAsync(TimeSpan.FromSeconds(40));
        var account = await rig.AccountAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} at {rate}/s, log down (reads and writes) {downFor.TotalSeconds:F1} s after {downAt}: {log.FailedReads} failed reads, {log.FailedAppends} failed appends; {account}");
        Assert.Equal(0, account.Lost);
        Assert.Equal(0, account.DoubleFinalOutcomes);
        Assert.Empty(rig.DeadLetters()); // an unavailable log is not the message's fault
        Assert.All(await rig.FinalOutcomesAsync(), e => Assert.Equal("delivered", e.Outcome));
        Assert.Equal(0, account.ProviderDuplicates);
    }
}
