using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class AlreadyDeliveredTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_redelivered_record_already_delivered_per_the_log_is_skipped_without_calling_the_provider()
    {
        await using var h = await SenderRig.StartAsync(fx, Channels.Fcm);
        var n = TestNotifications.For(Channels.Fcm, "fcm-token-dup");
        await h.Log.AppendAsync(new DeliveryLogEntry(n.eventId, n.channel, n.target, "delivered", 1, n.userId, OccurredAt: DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        var other = TestNotifications.For(Channels.Fcm, "fcm-token-new", user: n.userId);

        await h.ProduceAsync(n, other);
        await h.WaitAsync(s => s.DuplicatesSkipped == 1 && s.Delivered == 1, "one skipped, one delivered");

        Assert.DoesNotContain(h.Fakes.Requests, r => r.EventId == n.eventId);
        Assert.Single(h.Statuses(1)); // only the new one: a skip writes no second outcome
    }
}
