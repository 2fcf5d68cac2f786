using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Replay.Tests;

/// <summary>
/// Re-publishing a delivered message goes through the senders' delivery-log check: without --force it is skipped, with
/// --force it is sent again and logged as forced. A real sender, delivery log and provider fakes.
/// </summary>
public sealed class ForcedReplayTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_replayed_delivered_message_is_skipped_and_a_forced_one_is_sent_again()
    {
        await using var rig = await SenderRig.StartAsync(fx, Channels.Sms);
        var message = TestNotifications.For(Channels.Sms, "+14155550142");
        await rig.ProduceAsync(message);
        await rig.WaitAsync(s => s.Delivered == 1, "the first delivery");
        var (partition, offset) = rig.Positions()[message.eventId];

        await ReplayAsync(rig, partition, offset, force: false);
        await rig.WaitAsync(s => s.DuplicatesSkipped == 1, "the plain replay skipped by the log check");
        Assert.Equal(0, rig.Fakes.Duplicates);

        await ReplayAsync(rig, partition, offset, force: true);
        await rig.WaitAsync(s => s.ForcedRedeliveries == 1 && s.Delivered == 2, "the forced replay sent again");
        Assert.Equal(1, rig.Fakes.Duplicates);
        var delivered = (await rig.Log.ReadAsync(message.eventId, TestContext.Current.CancellationToken)).Where(e => e.Outcome == Outcomes.Delivered).ToList();
        Assert.Equal([false, true], delivered.Select(e => e.Forced));
    }

    private async Task ReplayAsync(SenderRig rig, int partition, long offset, bool force)
    {
        var result = await new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            Topic = rig.Options.Topic!,
            Partitions = [partition],
            FromOffsets = new Dictionary<int, long> { [partition] = offset },
            ToOffsets = new Dictionary<int, long> { [partition] = offset + 1 },
            Republish = true,
            RepublishTopic = rig.Options.Topic,
            Force = force,
        }).RunAsync(ct: TestContext.Current.CancellationToken);
        Assert.Equal(1, result.Republished);
    }
}
