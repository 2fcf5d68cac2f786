using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>Each retry tier has its own topic, so a record due soon is never held up behind one due much later.</summary>
public sealed class RetryTierTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_short_tier_retry_goes_out_on_time_while_a_long_tier_retry_of_the_same_user_waits()
    {
        // The slow one fails twice (its second retry waits the long tier), the quick one once (the short tier). Both belong
        // to one user, so with one retry topic they would share a partition and the quick one would wait behind the slow one.
        const string faults = "fail-first=2,fail-first-prefix=+1415555010,429-first=1,429-first-prefix=+1415555020,retry-after=1ms";
        await using var h = await SenderRig.StartAsync(fx, Channels.Sms, faults, o =>
        {
            o.RetryDelays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60)];
            o.InPlaceRetries = 0; // every transient failure goes to a tier
        });
        var slow = TestNotifications.For(Channels.Sms, "+14155550101", user: "u-tiers");
        var quick = TestNotifications.For(Channels.Sms, "+14155550201", user: "u-tiers");

        await h.ProduceAsync(slow);
        await h.WaitAsync(s => s.Retried == 2, "the slow one waiting on the long tier");
        await h.ProduceAsync(quick);

        await h.WaitAsync(s => s.Delivered == 1, "the quick one delivered through the short tier", seconds: 15);
        var delivered = Assert.Single(await h.FinalOutcomesAsync());
        Assert.Equal((quick.eventId, 2), (delivered.EventId, delivered.Attempt));
        Assert.Equal(0, h.Sender.Stats.DeadLettered);
    }
}
