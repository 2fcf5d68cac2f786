using Streaming.DeliveryLog;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class PipelinedOutcomeTests(LocalStackFixture fx)
{
    /// <summary>Holds back the log row of one event until released; everything else passes straight through.</summary>
    private sealed class HeldLog(IDeliveryLog inner, string heldEventId) : IDeliveryLog
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Holding;

        public void Release() => release.TrySetResult();

        public async Task AppendAsync(DeliveryLogEntry entry, CancellationToken cancellationToken = default)
        {
            if (entry.EventId == heldEventId)
            {
                Holding = true;
                await release.Task.WaitAsync(cancellationToken);
            }

            await inner.AppendAsync(entry, cancellationToken);
        }

        public Task<bool> WasDeliveredAsync(string eventId, string channel, string target, CancellationToken cancellationToken = default)
            => inner.WasDeliveredAsync(eventId, channel, target, cancellationToken);

        public Task<IReadOnlyList<DeliveryLogEntry>> ReadAsync(string eventId, CancellationToken cancellationToken = default) => inner.ReadAsync(eventId, cancellationToken);

        public Task<IReadOnlyList<DeliveryLogEntry>> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the rig disposes the inner log
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_lane_sends_its_next_record_while_the_last_outcome_is_written_and_a_repeat_of_that_delivery_is_skipped()
    {
        var first = TestNotifications.For(Channels.Email, "first@example.com", user: "user-lane");
        await using var h = await SenderRig.CreateAsync(fx, Channels.Email, configure: o => o.Lanes = 1);
        var held = new HeldLog(h.Log, first.eventId);
        await h.StartSenderAsync(held);
        var repeat = TestNotifications.For(Channels.Email, first.target, eventId: first.eventId, user: first.userId);
        var next = TestNotifications.For(Channels.Email, "next@example.com", user: first.userId);

        await h.ProduceAsync(first, repeat, next);

        // One lane, one user: "next" reaches the provider while the first delivery's log row is still held, and the
        // repeat of the first event is recognised as delivered although no log row says so yet.
        await Eventually.TrueAsync(() => h.Fakes.Requests.Any(r => r.EventId == next.eventId), TimeSpan.FromSeconds(30), "the next record sent while the first outcome is held");
        await h.WaitAsync(s => s.DuplicatesSkipped == 1 && s.Delivered == 1, "the repeat skipped, the next delivered");
        Assert.True(held.Holding);
        Assert.Single(h.Fakes.Requests, r => r.EventId == first.eventId);

        held.Release();
        await h.WaitAsync(s => s.Delivered == 2, "the held outcome written");
        var outcomes = await h.FinalOutcomesAsync();
        Assert.Equal(new[] { first.eventId, next.eventId }.Order(), outcomes.Select(o => o.EventId).Order());
    }
}
