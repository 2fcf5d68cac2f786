using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class GracefulStopTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_graceful_stop_mid_batch_drains_what_was_fetched_and_commits_exactly_so_a_restart_redelivers_nothing()
    {
        const int count = 200;
        await using var h = await SenderRig.StartAsync(fx, Channels.Fcm, "latency=20ms", o =>
        {
            o.Lanes = 8;
            o.MaxInFlight = 20;     // backpressure: only a small batch is fetched at a time, so the stop lands mid-stream
            o.RatePerSecond = 100;
            o.Consumer.AutoCommitIntervalMs = 60_000; // only the stop's own commit counts
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => TestNotifications.For(Channels.Fcm, $"graceful-token-{i:D4}", user: $"graceful-user-{i % 40}"))
            .ToArray();
        await h.ProduceAsync(notifications);

        await h.WaitAsync(s => s.Delivered >= 40, "some delivered before the stop");
        var first = h.Sender;
        await first.StopAsync(TestContext.Current.CancellationToken);
        await first.DisposeAsync();

        Assert.InRange(first.Stats.Delivered, 40, count - 1);
        // The commit lands exactly after the finished records: nothing finished is left for a restart to redeliver.
        Assert.Equal(first.Stats.Delivered, h.CommittedOffsets().Values.Sum(o => Math.Max(0, o)));

        await h.StartSenderAsync();
        await Eventually.TrueAsync(async () => (await h.FinalOutcomesAsync()).Count >= count, TimeSpan.FromSeconds(60), "every message has an outcome");

        Assert.All((await h.FinalOutcomesAsync()).GroupBy(f => f.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.Equal(0, h.Fakes.Duplicates);
    }
}
