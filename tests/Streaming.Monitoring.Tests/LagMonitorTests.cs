using Confluent.Kafka;
using Streaming.Monitoring;
using Streaming.Testing;

namespace Streaming.Monitoring.Tests;

public sealed class LagMonitorTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_stopped_group_shows_growing_lag_and_a_non_ok_status_then_ok_after_it_resumes_and_catches_up()
    {
        var topic = fx.NewTopic("lag");
        var group = "lag-group-" + Guid.NewGuid().ToString("N")[..8];
        var ct = TestContext.Current.CancellationToken;
        using var monitor = new LagMonitor(fx.BootstrapServers, [new MonitoredGroup { Group = group, Topics = [topic] }],
            new LagMonitorOptions { WindowSamples = 4 });

        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var traffic = Task.Run(() => ProduceSteadily(topic, 100, stopTraffic.Token), ct);

        // 1. The group consumes and keeps up.
        var consumer = StartConsumer(group, topic, ct);
        var ok = await SampleUntil(monitor, g => g.Status == GroupStatus.Ok && g.TotalLag < 50 && g.Partitions.Any(p => p.Committed > 0), TimeSpan.FromSeconds(30), ct);

        // 2. It stops (the sender is down): lag grows and the status leaves OK.
        await consumer.StopAsync();
        var lagged = await SampleUntil(monitor, g => g.Status is GroupStatus.Stall or GroupStatus.Warn, TimeSpan.FromSeconds(30), ct);
        Assert.True(lagged.TotalLag > ok.TotalLag, $"lag should have grown: {ok.TotalLag} → {lagged.TotalLag}");
        Assert.True(lagged.MaxLagSeconds > 0);

        // 3. It resumes and catches up: OK again.
        var resumed = StartConsumer(group, topic, ct);
        var recovered = await SampleUntil(monitor, g => g.Status == GroupStatus.Ok && g.TotalLag < lagged.TotalLag, TimeSpan.FromSeconds(40), ct);
        Assert.Equal(GroupStatus.Ok, recovered.Status);

        await stopTraffic.CancelAsync();
        await traffic;
        await resumed.StopAsync();
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_group_that_never_committed_is_reported_as_stop()
    {
        var topic = fx.NewTopic("lag-stop");
        using var monitor = new LagMonitor(fx.BootstrapServers, [new MonitoredGroup { Group = "never-started", Topics = [topic] }]);

        var sample = Assert.Single(await monitor.SampleAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GroupStatus.Stop, sample.Status);
        Assert.Equal(4, sample.Partitions.Count);
    }

    private static async Task<GroupLag> SampleUntil(LagMonitor monitor, Func<GroupLag, bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        GroupLag? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await monitor.SampleAsync(ct)).Single();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(250, ct); // the sampling interval of the monitor under test
        }

        throw new TimeoutException($"Condition not reached; last sample: {last?.Status} lag={last?.TotalLag} ({last?.Reason})");
    }

    private void ProduceSteadily(string topic, int perSecond, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = fx.BootstrapServers, LingerMs = 5 }).Build();
        var started = DateTime.UtcNow;
        var sent = 0;
        while (!ct.IsCancellationRequested)
        {
            var due = (int)((DateTime.UtcNow - started).TotalSeconds * perSecond);
            for (; sent < due; sent++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"user-{sent % 13}", Value = "x" });
            }

            ct.WaitHandle.WaitOne(10);
        }

        producer.Flush(TimeSpan.FromSeconds(5));
    }

    private RunningConsumer StartConsumer(string group, string topic, CancellationToken ct) => new(fx.BootstrapServers, group, topic, ct);

    private sealed class RunningConsumer
    {
        private readonly CancellationTokenSource stop;
        private readonly Task loop;

        public RunningConsumer(string bootstrap, string group, string topic, CancellationToken ct)
        {
            stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            loop = Task.Run(() =>
            {
                using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
                {
                    BootstrapServers = bootstrap,
                    GroupId = group,
                    AutoOffsetReset = AutoOffsetReset.Earliest,
                    AutoCommitIntervalMs = 200,
                    // The mock cluster rebalances a rejoining group only after the old member's session times out.
                    SessionTimeoutMs = 6000,
                    HeartbeatIntervalMs = 500,
                }).Build();
                consumer.Subscribe(topic);
                while (!stop.IsCancellationRequested)
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(100));
                }

                consumer.Close();
            }, CancellationToken.None);
        }

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }
}
