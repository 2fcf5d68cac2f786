using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class OutageTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task provider_outage_then_recovery_loses_nothing_backs_off_and_opens_then_closes_the_circuit()
    {
        const int count = 30;
        await using var h = await SenderRig.StartAsync(fx, Channels.Sms, "outage=on", o =>
        {
            o.Lanes = 4;
            o.RetryDelays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];
            o.BreakerMinimumThroughput = 5;
            o.BreakerFailureRatio = 0.5;
            o.BreakerSamplingDuration = TimeSpan.FromSeconds(2);
            o.BreakerBreakDuration = TimeSpan.FromMilliseconds(500);
        });
        var notifications = Enumerable.Range(0, count)
            .Select(i => TestNotifications.For(Channels.Sms, $"+49151000{i:D5}", user: $"outage-user-{i}"))
            .ToArray();
        await h.ProduceAsync(notifications);

        // Open, a failed half-open probe, open again: the outage lasts at least one break duration.
        await h.WaitAsync(s => s.CircuitOpened >= 2 && s.Retried >= 1, "the circuit opened (twice) during the outage", 60);
        var callsDuringOutage = h.Fakes.RequestCount;
        h.Fakes.SetOutage(false);
        await h.WaitAsync(s => s.Delivered == count, "everything delivered after recovery", 60);

        var stats = h.Sender.Stats;
        Assert.True(stats.CircuitClosed >= 1, "the circuit closed again");
        Assert.Equal(0, stats.DeadLettered);
        // While open the circuit kept calls away from the provider: far fewer calls than messages x in-place attempts.
        Assert.True(callsDuringOutage < count * 2, $"{callsDuringOutage} calls reached the provider during the outage");
        var log = await h.Log.ReadAllAsync(TestContext.Current.CancellationToken);
        Assert.All(log.Where(e => e.Outcome != "retrying").GroupBy(e => e.EventId), g => Assert.Equal("delivered", Assert.Single(g).Outcome));
        Assert.Equal(count, log.Count(e => e.Outcome == "delivered"));
        Assert.Equal(0, h.Fakes.Duplicates);

        // Backoff: after each hand-off to the retry topic, the provider saw that event again no earlier than the tier's delay.
        var requests = h.Fakes.Requests;
        foreach (var retrying in log.Where(e => e.Outcome == "retrying"))
        {
            var delay = h.Options.RetryDelays[retrying.Attempt - 1];
            var next = requests.Where(r => r.EventId == retrying.EventId && r.At > retrying.OccurredAt.AddMilliseconds(5)).MinBy(r => r.At);
            Assert.NotNull(next);
            Assert.True(next.At - retrying.OccurredAt >= delay - TimeSpan.FromMilliseconds(30),
                $"attempt {retrying.Attempt + 1} of {retrying.EventId} came {(next.At - retrying.OccurredAt).TotalMilliseconds} ms after the hand-off; tier is {delay.TotalMilliseconds} ms");
        }
    }
}
