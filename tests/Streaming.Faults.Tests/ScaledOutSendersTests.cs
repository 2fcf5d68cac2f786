using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.LocalCql.Server;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>
/// Several sender instances of one channel on several machines share one delivery log (Cassandra, here the local CQL
/// server). One instance is killed after its provider calls and before its offsets are committed; the survivor takes its
/// partitions and is redelivered everything it had done, and the shared log's pre-send check keeps every one of those
/// from reaching the provider a second time.
/// </summary>
public sealed class ScaledOutSendersTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task an_instance_killed_before_committing_leaves_no_duplicate_and_no_loss_when_the_log_is_shared()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cql = await LocalCqlServer.StartAsync();
        var logOptions = new CassandraDeliveryLogOptions { ContactPoints = [cql.Address], LocalDatacenter = "datacenter1", CreateSchema = true };
        await using var survivorLog = new CassandraDeliveryLog(logOptions);
        await survivorLog.WaitUntilReadyAsync(ct); // creates the schema the other instance uses
        await using var rig = await SenderRig.CreateAsync(fx, Channels.Sms, "latency=5ms", o => o.Consumer.PartitionAssignmentStrategy = Confluent.Kafka.PartitionAssignmentStrategy.Range);
        var survivor = await rig.StartSenderAsync(survivorLog);
        await survivor.Assigned.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // The doomed instance: another process, committing only once a minute, so its work is never committed.
        await using var doomed = SenderHostProcess.Start(rig.Options, rig.Providers, logOptions, commitIntervalMs: 60_000);
        await doomed.WaitForAssignmentAsync(TimeSpan.FromSeconds(60));

        var first = Enumerable.Range(0, 120).Select(i => TestNotifications.For(Channels.Sms, TestNotifications.Target(Channels.Sms, i, "scaled"), user: $"scaled-user-{i % 40}")).ToArray();
        await rig.ProduceAsync(first);
        await Eventually.TrueAsync(() => rig.Fakes.Delivered(FakeProvidersChannel) >= first.Length, TimeSpan.FromSeconds(60), "every message delivered by one of the two instances");
        // A sender logs a delivery after the provider accepted it; the kill comes once every row is durable, which is the
        // window this test is about (a kill between the provider call and the log write is the documented duplicate bound).
        await Eventually.TrueAsync(async () => first.Select(n => n.eventId).ToHashSet().IsSubsetOf(await DeliveredInLogAsync(survivorLog, ct)),
            TimeSpan.FromSeconds(30), "every delivery of the first batch in the shared log");
        var byDoomed = (await survivorLog.ReadAllAsync(ct)).Count(e => e.Outcome == Outcomes.Delivered && e.Details?.GetValueOrDefault("pid") == doomed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(byDoomed > 0, "the killed instance must have delivered some of them:\n" + doomed.Output);

        await doomed.KillAsync();
        var second = Enumerable.Range(120, 60).Select(i => TestNotifications.For(Channels.Sms, TestNotifications.Target(Channels.Sms, i, "scaled"), user: $"scaled-user-{i % 40}")).ToArray();
        await rig.ProduceAsync(second);

        // The survivor gets the dead instance's partitions once its session expires, is redelivered what it had sent, and
        // finds each of those in the shared log.
        // The log row follows the provider's acceptance, so the last rows are waited for too.
        var all = first.Concat(second).Select(n => n.eventId).ToHashSet();
        await Eventually.TrueAsync(async () => survivor.Stats.DuplicatesSkipped >= byDoomed && rig.Fakes.Delivered(FakeProvidersChannel) >= all.Count
                && all.IsSubsetOf(await DeliveredInLogAsync(survivorLog, ct)),
            TimeSpan.FromSeconds(90), $"the survivor took over the {byDoomed} deliveries of the killed instance and delivered and logged the rest");
        Assert.Equal(0, rig.Fakes.Duplicates);
        Assert.Equal(first.Length + second.Length, rig.Fakes.Delivered(FakeProvidersChannel));
    }

    private const string FakeProvidersChannel = ProviderFakes.FakeProviders.Sms;

    private static async Task<HashSet<string>> DeliveredInLogAsync(IDeliveryLog log, CancellationToken ct)
        => [.. (await log.ReadAllAsync(ct)).Where(e => e.Outcome == Outcomes.Delivered).Select(e => e.EventId)];
}
