using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

/// <summary>The per-provider token bucket: a sender never calls its provider faster than Senders:&lt;channel&gt;:RatePerSecond.</summary>
public sealed class RateLimitTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task provider_calls_stay_within_the_configured_rate_however_much_is_waiting()
    {
        const int rate = 20;
        const int count = 60;
        await using var h = await SenderRig.StartAsync(fx, Channels.Email, configure: o => o.RatePerSecond = rate);
        await h.ProduceAsync([.. Enumerable.Range(0, count).Select(i => TestNotifications.For(Channels.Email, $"rate{i}@example.com", user: $"rate-user-{i % 16}"))]);

        await h.WaitAsync(s => s.Delivered == count, "every message delivered", seconds: 60);

        // Seen at the provider: the calls spread over the time the rate allows (less the bucket's burst of a tenth of a
        // second), and no second holds much more than the rate. Arrival times carry the network's jitter, hence the margin;
        // without the limiter all of them arrive within a fraction of a second.
        var calls = h.Fakes.Requests.Select(r => r.At).Order().ToList();
        Assert.Equal(count, calls.Count);
        Assert.True(calls[^1] - calls[0] >= TimeSpan.FromSeconds(0.9 * (count - 2) / rate), $"{count} calls took only {calls[^1] - calls[0]}");
        var busiest = calls.Max(start => calls.Count(t => t >= start && t < start + TimeSpan.FromSeconds(1)));
        Assert.True(busiest <= rate * 1.5, $"{busiest} provider calls within one second at a limit of {rate}/s");
    }
}
