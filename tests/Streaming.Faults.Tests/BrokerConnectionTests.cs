using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Faults.Tests;

/// <summary>Fault 1: the brokers become unreachable mid-stream and come back (through <see cref="KafkaProxy"/>).</summary>
public sealed class BrokerConnectionTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task clients_pointed_at_the_proxy_reach_the_brokers_only_through_it_and_a_cut_stops_them_until_restored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = KafkaProxy.Start(fx.BootstrapServers);
        var topic = fx.NewTopic("proxy");
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = proxy.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 1,
            ReconnectBackoffMaxMs = 500,
        }).SetLogHandler((_, _) => { }).Build();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = proxy.BootstrapServers,
            GroupId = "proxy-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            ReconnectBackoffMaxMs = 500,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "before" }, ct);
        Assert.Equal("before", ConsumeOne(consumer, TimeSpan.FromSeconds(20))?.Message.Value);

        // Every broker the client knows is a proxy port: the advertised addresses were rewritten.
        using (var admin = new DependentAdminClientBuilder(producer.Handle).Build())
        {
            var brokers = admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}").ToList();
            Assert.Equal(proxy.BootstrapServers.Split(',').Order(), brokers.Order());
        }

        Assert.True(proxy.AddressesRewritten > 0);
        var accepted = proxy.ConnectionsAccepted;
        Assert.True(accepted > 0);
        TestContext.Current.TestOutputHelper?.WriteLine("api versions negotiated: " + string.Join(" ", proxy.SeenApiVersions.Select(v => $"{v.ApiKey}v{v.Version}")));

        proxy.Cut();
        var during = producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "during" }, ct);
        // Observing that nothing happens needs a window: two seconds in which the record must not reach the brokers.
        await Task.WhenAny(during, Task.Delay(TimeSpan.FromSeconds(2), ct));
        Assert.False(during.IsCompleted, "a produce succeeded while the proxy was cut: the client bypassed it");
        Assert.Equal(1, fx.RecordCount(topic));
        Assert.Null(ConsumeOne(consumer, TimeSpan.FromMilliseconds(500)));

        proxy.Restore();
        var result = await during.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal("during", ConsumeOne(consumer, TimeSpan.FromSeconds(20))?.Message.Value);
        Assert.Equal(2, fx.RecordCount(topic)); // the idempotent producer's retries wrote it once
        Assert.True(proxy.ConnectionsAccepted > accepted, "the clients reconnected through the proxy");
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_sender_cut_off_from_the_brokers_longer_than_its_session_resumes_without_losing_or_doubling_a_message()
    {
        const int count = 1500;
        const double rate = 100;
        await using var proxy = KafkaProxy.Start(fx.BootstrapServers);
        await using var rig = await SenderRig.CreateAsync(fx, Channels.Email, "latency=5ms", o =>
        {
            o.Lanes = 8;
            o.Consumer.BootstrapServers = proxy.BootstrapServers;
            o.Producer.BootstrapServers = proxy.BootstrapServers;
        });
        var sender = await rig.StartSenderAsync();
        await sender.Assigned.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var traffic = rig.RunTrafficAsync(count, rate, "cut", TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => sender.Stats.Delivered >= 150, TimeSpan.FromSeconds(30), "the sender is delivering");
        proxy.Cut();
        var cutAt = rig.Published.Count;
        var deliveredAtCut = sender.Stats.Delivered;
        TimeSpan cutFor;
        try
        {
            cutFor = await StayCutAsync(() => rig.Published.Count, count);
            // An outcome is final only once its status is acknowledged by Kafka: nothing new can finish while cut off
            // (records already finishing when the cut came may complete: at most one per lane).
            Assert.InRange(sender.Stats.Delivered - deliveredAtCut, 0, rig.Options.Lanes);
        }
        finally
        {
            proxy.Restore(); // also before the disposals, which would otherwise wait on the brokers
        }

        await traffic.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await rig.WaitForAllOutcomesAsync(TimeSpan.FromSeconds(50));
        var account = await rig.AccountAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} at {rate}/s, cut {cutFor.TotalSeconds:F1} s after {cutAt}: {account}; refused {proxy.ConnectionsRefused}, skipped {sender.Stats.DuplicatesSkipped}");
        Assert.Equal(count, account.Published);
        Assert.Equal(0, account.Lost);
        Assert.Equal(0, account.DoubleFinalOutcomes);
        Assert.Equal(0, account.ProviderDuplicates); // nothing crashed: the documented bound is 0
    }

    /// <remarks>
    /// With the usual 1 s commit interval the topology normally rejoins by itself. With a 60 s one it always holds
    /// uncommitted work when its assignment is lost, and Streamiz 1.8 then leaves the stream thread alive but idle for
    /// good (the commit in the revoke callback fails and its "rebalance in progress" flag is never cleared): without the
    /// runner's stall watchdog that case delivers nothing after the restore. With it, the instance is replaced and the
    /// restored dedup store absorbs the re-read requests.
    /// </remarks>
    [Theory(Timeout = TestLimits.TimeoutMs)]
    [InlineData(1_000)]
    [InlineData(60_000)]
    public async Task the_topology_and_a_sender_cut_off_from_the_brokers_longer_than_their_sessions_resume_and_each_request_reaches_the_provider_once(long commitIntervalMs)
    {
        const int count = 1500;
        const double rate = 100;
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await PipelineRig.StartAsync(fx, proxied: true, o => o.CommitIntervalMs = commitIntervalMs);
        var traffic = rig.RunTrafficAsync(count, rate);

        await Eventually.TrueAsync(() => rig.Sender.Stats.Delivered >= 150, TimeSpan.FromSeconds(30), "requests flow end to end");
        rig.Proxy!.Cut();
        var cutAt = rig.Published.Count;
        TimeSpan cutFor;
        try
        {
            cutFor = await StayCutAsync(() => rig.Published.Count, count);
        }
        finally
        {
            rig.Proxy.Restore();
        }

        await traffic.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await rig.WaitAllDeliveredAsync(TimeSpan.FromSeconds(60));
        var account = await rig.AccountAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{count} requests at {rate}/s through topology (commit every {commitIntervalMs} ms) and email sender, cut {cutFor.TotalSeconds:F1} s after {cutAt}: {account}; " +
            $"refused {rig.Proxy.ConnectionsRefused}, skipped-by-sender {rig.Sender.Stats.DuplicatesSkipped}, topology failed: {rig.Topology!.Failed.IsCompleted}, restarted by the watchdog: {rig.Topology.Restarts}");
        Assert.Equal(0, account.Lost);
        Assert.Equal(0, account.DoubleDelivered);
        Assert.False(rig.Topology!.Failed.IsCompleted, "the topology stopped on the outage instead of riding it out");
        if (commitIntervalMs > 10_000)
        {
            Assert.True(rig.Topology.Restarts >= 1, "the lost assignment with uncommitted work did not stall the topology: this case proves nothing");
        }

        // Requests the topology processed after its last commit before the cut may be routed again: one commit interval.
        Assert.InRange(account.ChannelDuplicates, 0, (int)(rate * commitIntervalMs / 1000));
        Assert.Equal(0, account.ProviderDuplicates);
    }

    /// <summary>
    /// The length of the outage: 7 s, longer than the 6 s sessions, so the group evicts the members and they must rejoin
    /// and take their partitions back after the restore; and traffic must have gone on meanwhile (100 more messages, or
    /// the rest of the traffic when a loaded machine let the consumers fall that far behind the producer).
    /// </summary>
    private static async Task<TimeSpan> StayCutAsync(Func<int> published, int count)
    {
        var clock = Stopwatch.StartNew();
        var until = Math.Min(published() + 100, count);
        await Eventually.TrueAsync(() => clock.Elapsed >= TimeSpan.FromSeconds(7) && published() >= until, TimeSpan.FromSeconds(40), "7 s of outage with traffic going on");
        return clock.Elapsed;
    }

    private static ConsumeResult<string, string>? ConsumeOne(IConsumer<string, string> consumer, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false, Message: not null } r)
            {
                return r;
            }
        }

        return null;
    }
}
