using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// Fault 2: the topology instance goes away mid-stream and a new instance with the same application ID takes over on an
/// empty state folder, so its dedup store can only come from the changelog. The email sender runs the whole time, so the
/// check is end to end: producer library → topology → sender → provider fake → delivery log.
/// </summary>
/// <remarks>
/// NotificationTopologyRunner has no abort: Streamiz's KafkaStream.Dispose always stops the threads through a commit. So
/// the "kill" here is a dispose while requests keep arriving (nothing is drained on purpose), and the restart is a
/// second instance with the same ApplicationId and a fresh StateDir.
/// </remarks>
public sealed class TopologyRestartTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_topology_replaced_mid_stream_restores_dedup_from_the_changelog_and_the_provider_sees_each_request_once()
    {
        const int count = 800;
        const double rate = 100;
        const int republished = 40;
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(fx, proxied: false);
        var traffic = rig.RunTrafficAsync(count, rate);

        await Eventually.TrueAsync(() => rig.Sender.Stats.Delivered >= 200, TimeSpan.FromSeconds(30), "requests flow end to end");
        var killedAt = rig.Published.Count;
        await rig.StopTopologyAsync();     // the instance goes away while requests keep arriving
        await rig.StartTopologyAsync();    // same application ID, empty state folder: dedup comes from the changelog
        var restartedAt = rig.Published.Count;

        // Already-seen event IDs, published again after the restart, are dropped by the restored dedup store.
        var seenBefore = rig.Published.Take(republished).ToList();
        for (var i = 0; i < republished; i++)
        {
            await rig.Publisher.PublishAsync(rig.Request(i, seenBefore[i]), ct);
        }

        await traffic.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await rig.WaitAllDeliveredAsync(TimeSpan.FromSeconds(40));
        var duplicateStatuses = new List<string>();
        await Eventually.TrueAsync(
            () => (duplicateStatuses = [.. rig.ReadAll<DeliveryStatus>(Topics.DeliveryStatus).Where(s => s.outcome == "duplicate").Select(s => s.eventId)]).Count >= republished,
            TimeSpan.FromSeconds(20), "the republished event IDs are reported as duplicates");
        var account = await rig.AccountAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{count} requests at {rate}/s (+{republished} republished IDs); replaced after {killedAt}, new instance running after {restartedAt}; " +
            $"{account} duplicate-statuses={duplicateStatuses.Count} skipped-by-sender={rig.Sender.Stats.DuplicatesSkipped}");

        Assert.Equal(count, account.Published);
        Assert.Equal(0, account.Lost);
        Assert.Equal(0, account.DoubleDelivered);
        Assert.All(seenBefore, id => Assert.Contains(id, duplicateStatuses));       // state restored: dedup still knows them
        Assert.All(seenBefore, id => Assert.Equal(1, account.ChannelCopies[id]));   // and released nothing for them
        // At-least-once bound for the topology: a request is routed twice only if it was processed after the last commit
        // and its dedup record had not reached the changelog, so at most one commit interval of traffic.
        Assert.InRange(account.ChannelDuplicates, 0, (int)(rate * rig.TopologyOptions.CommitIntervalMs / 1000));
        Assert.Equal(0, account.ProviderDuplicates); // whatever the topology repeats, the senders' delivery-log check stops
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_request_held_for_its_send_at_survives_a_topology_restart_and_is_delivered_once_when_due()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(fx, proxied: false);
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(25);
        var receipt = await rig.Publisher.PublishAsync(rig.Request(7) with { SendAt = sendAt }, ct);
        await Eventually.TrueAsync(() => rig.ReadAll<DeliveryStatus>(Topics.DeliveryStatus).Any(s => s.eventId == receipt.EventId && s.outcome == Outcomes.Scheduled),
            TimeSpan.FromSeconds(20), "the request held for its sendAt");

        await rig.StopTopologyAsync();   // the held request lives only in the schedule store and its changelog now
        await rig.StartTopologyAsync();  // empty state folder: the store restores from the changelog
        Assert.True(DateTimeOffset.UtcNow < sendAt, "the restart must be over before the request is due, or nothing was held across it");

        await Eventually.TrueAsync(async () => (await rig.Log.ReadAsync(receipt.EventId, ct)).Any(r => r.Outcome == Outcomes.Delivered),
            TimeSpan.FromSeconds(60), "the held request delivered once due");
        var delivered = Assert.Single(await rig.Log.ReadAsync(receipt.EventId, ct), r => r.Outcome == Outcomes.Delivered);
        Assert.True(delivered.OccurredAt >= sendAt, $"delivered at {delivered.OccurredAt:O}, before its sendAt {sendAt:O}");
        Assert.Single(rig.ReadAll<ChannelNotification>(Topics.Email), m => m.eventId == receipt.EventId);
        Assert.Equal(0, rig.Fakes.Duplicates);
    }
}
